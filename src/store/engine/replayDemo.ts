import { createReplayEngine, replayModelId } from '../../engine/replay/replayEngine';
import { loadSeedRecordings } from '../../engine/replay/seedRecordings';
import { appUrl } from './browserEnvironment';
import { failureOf } from './engineFailure';
import { useEngineStore } from './engineStore';
import { activate } from './modelSession';

/**
 * The demo: answers recorded from DimMem-4B for the example conversation, streamed as if live.
 * Memories it produces are labelled "recorded" (engine kind `replay`).
 */
export async function startReplayDemo(tokensPerSecond?: number): Promise<void> {
  try {
    const recordings = await loadSeedRecordings(appUrl(''));
    const options = tokensPerSecond === undefined ? {} : { tokensPerSecond };
    await activate(createReplayEngine(recordings, options), replayModelId);
  } catch (error) {
    useEngineStore
      .getState()
      .setLoad({ state: 'error', modelId: replayModelId, failure: failureOf(error) });
  }
}

/** Whether the replay demo is offered without the explicit switch (dev and test builds). */
export const replayAvailableByDefault = import.meta.env.DEV || import.meta.env.MODE === 'test';
