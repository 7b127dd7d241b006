import { createReplayEngine, seedRecordings } from '../../src/engine';
import type { Recordings, ReplayEngine } from '../../src/engine/replay/replayEngine';
import { seedAnswerText, seedConversationText } from './storeFixtures';

/** A replay engine, loaded, that answers at once instead of at a model's typing speed. */
export async function loadedReplayEngine(recordings: Recordings): Promise<ReplayEngine> {
  const engine = createReplayEngine(recordings, { tokensPerSecond: Infinity });
  await engine.load('', () => undefined);
  return engine;
}

/** The engine that answers the seed conversation with its recorded answer (16 memories). */
export const seedReplayEngine = (): Promise<ReplayEngine> =>
  loadedReplayEngine(seedRecordings(seedConversationText(), [seedAnswerText()]));
