import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Embedder } from '../../../../src/core/search/embedder';
import type { AnswerModel, CompleteOptions } from '../../../../src/store/ask/answerModel';
import type { GpuWatch } from '../../../../src/store/ask/gpuWatch';
import type { ConsolidationService } from '../../../../src/store/consolidation/consolidationService';
import { createConsolidationService } from '../../../../src/store/consolidation/consolidationService';
import { useConsolidationStore } from '../../../../src/store/consolidation/consolidationStore';
import type { DetectionRunner } from '../../../../src/store/consolidation/pairDetector';
import type { DimmemDb } from '../../../../src/store/db/db';
import { openDimmemDb } from '../../../../src/store/db/db';
import type { MemoryRecord } from '../../../../src/store/db/records';
import { loadAllStores } from '../../../../src/store/db/storeLoader';
import { memoryRecordFromLine } from '../../../../src/store/exchange/jsonl';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { putMemories } from '../../../../src/store/memories/memoryRepository';
import { changeSchema } from '../../../../src/store/tabs/changes';
import type { Publisher } from '../../../../src/store/tabs/publish';
import { createPublisher } from '../../../../src/store/tabs/publish';
import type { TabMessage } from '../../../../src/store/tabs/tabChannel';
import { recordingChannel } from '../../../support/recordingChannel';
import { fixtureData, freshDb, resetStores, until } from '../../../support/storeFixtures';

/** The fixture the CLI's tests use: duplicates, conflicts and lookalikes that must stay apart. */
export function fixtureRecords(): MemoryRecord[] {
  return readFileSync(path.join(fixtureData, 'consolidate/memories.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => memoryRecordFromLine(line, 1_700_000_000_000));
}

export const NOW = 1_750_000_000_000;
export const MODEL_LABEL = 'Qwen/Qwen3-4B at http://127.0.0.1:8000/v1';

/** A decision as a model writes it (the schema's keys in its order). */
export function decisionText(
  decision: 'MERGE' | 'SUPERSEDE' | 'KEEP_BOTH',
  mergedContent: string,
  memoryType = 'fact',
  keywords: string[] = [],
): string {
  return JSON.stringify({
    decision,
    merged_content: mergedContent,
    merged_dimension: { memory_type: memoryType, time: '', keywords, reason: '', purpose: '' },
    reasoning: `${decision.toLowerCase()} by the fake model`,
  });
}

/** The decisions the fake model writes, chosen by the newer memory's text (memory A). */
export function fixtureAnswer(prompt: string): string {
  const newer = /Memory A[^\n]*\n\s*Content: (.*)/.exec(prompt)?.[1] ?? '';
  if (newer.includes('Lisbon')) return decisionText('SUPERSEDE', 'The user lives in Lisbon.');
  if (newer.includes('Carbonara'))
    return decisionText(
      'MERGE',
      'The user tried the Spaghetti Carbonara at Bella Vita and loved it.',
      'episodic',
    );
  if (newer.includes('sister')) return decisionText('MERGE', "The user's sister lives in Porto.");
  return decisionText('KEEP_BOTH', '');
}

/** An answer model on an endpoint, answering with `answer` (and recording each prompt). */
export function fakeModel(answer: (prompt: string, call: number) => string | Promise<string>) {
  const prompts: string[] = [];
  const options: CompleteOptions[] = [];
  const model: AnswerModel = {
    label: MODEL_LABEL,
    needsGpu: false,
    async complete(prompt, completeOptions) {
      prompts.push(prompt);
      options.push(completeOptions);
      completeOptions.signal?.throwIfAborted();
      return answer(prompt, prompts.length);
    },
  };
  return { model, prompts, options };
}

export const freeGpu: GpuWatch = { busy: () => null, subscribe: () => () => undefined };

/** What a person sees of the stores: current memories, earlier versions, the review queue. */
export function snapshot() {
  const memories = useMemoriesStore.getState();
  const describe = (memory: MemoryRecord) =>
    JSON.stringify({
      id: memory.id,
      content: memory.content,
      supersededBy: memory.supersededBy,
      validUntil: memory.validUntil,
      mergedFrom: memory.mergedFrom,
      pinned: memory.pinned,
      removed: memory.removedOriginals?.map((original) => original.id),
    });
  return {
    current: memories.memories.map(describe).sort(),
    earlier: [...memories.earlier.values()].map(describe).sort(),
    pairs: useConsolidationStore
      .getState()
      .pairs.map((pair) => `${pair.id} ${pair.status} ${pair.proposal?.decision ?? '-'}`),
    counts: useConsolidationStore.getState().counts,
  };
}

export interface Tab {
  db: DimmemDb;
  service: ConsolidationService;
  publisher: Publisher;
  sent: TabMessage[];
}

export interface TabOptions {
  model?: AnswerModel | null;
  gpu?: GpuWatch;
  /** The embeddings service's loaded model (`embedder()`); absent: similarity is lexical. */
  embedder?: () => Embedder | null;
  /** Where detection runs (the page passes the worker's); absent: in this thread. */
  runDetection?: DetectionRunner;
}

/** A tab on `db` with the consolidation service (the model answers `fixtureAnswer` by default). */
export function openTab(db: DimmemDb, options: TabOptions = {}): Tab {
  const { channel, sent } = recordingChannel();
  const publisher = createPublisher({ db: async () => db, channel });
  const model = options.model === undefined ? fakeModel(fixtureAnswer).model : options.model;
  const service = createConsolidationService({
    db: async () => db,
    publish: publisher.publish,
    answerModel: () => model ?? { unavailable: 'No model to answer with.' },
    gpu: options.gpu ?? freeGpu,
    ...(options.embedder ? { embedder: options.embedder } : {}),
    ...(options.runDetection ? { runDetection: options.runDetection } : {}),
    now: () => NOW,
  });
  return { db, service, publisher, sent };
}

/** A fresh database holding the fixture's memories, loaded into the stores. */
export async function fixtureDb(): Promise<DimmemDb> {
  resetStores();
  const db = await freshDb();
  await putMemories(db, fixtureRecords());
  await loadAllStores(db);
  return db;
}

/** Closes the database and opens it again, as a reload does, with fresh stores. */
export async function reopen(db: DimmemDb): Promise<DimmemDb> {
  db.close();
  resetStores();
  const reopened = await openDimmemDb({ name: db.name });
  await loadAllStores(reopened);
  return reopened;
}

/**
 * Plays `sent` to a second tab whose stores were loaded before any of it happened (`before`, a
 * database state restored by loading `initial`), and returns that tab's snapshot.
 */
export async function otherTabAfter(
  db: DimmemDb,
  initial: { records: MemoryRecord[] },
  sent: readonly TabMessage[],
): Promise<ReturnType<typeof snapshot>> {
  resetStores();
  useMemoriesStore.getState().setAll(initial.records);
  useConsolidationStore.getState().setPairs([]);
  const other = recordingChannel();
  const stop = createPublisher({ db: async () => db, channel: other.channel }).listen();
  let reloads = 0;
  for (const message of sent) {
    if (message.type === 'reload') reloads += 1;
    // Through the wire schema, as BroadcastChannel delivers it: a field it drops is lost.
    other.deliver(changeSchema.parse(message));
  }
  if (reloads > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await until(() => useMemoriesStore.getState().loaded);
  stop();
  return snapshot();
}
