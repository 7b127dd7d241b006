import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readMemoryLinesFile } from '../../../../src/cli/consolidate/memoryLinesFile';
import type { ConsolidationMemory, Detection } from '../../../../src/core/consolidate';
import { detectPairs, keywordCandidates, ruleGroups } from '../../../../src/core/consolidate';
import { memoryEmbeddingText } from '../../../../src/core/search/embedder';
import { useConsolidationStore } from '../../../../src/store/consolidation/consolidationStore';
import type { DimmemDb } from '../../../../src/store/db/db';
import type { MemoryRecord } from '../../../../src/store/db/records';
import { loadAllStores } from '../../../../src/store/db/storeLoader';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import type { EmbeddingsService } from '../../../../src/store/embeddings/embeddingsService';
import { loadAllVectorRecords } from '../../../../src/store/embeddings/vectorRepository';
import {
  deleteMemories,
  editMemory,
  putMemories,
} from '../../../../src/store/memories/memoryRepository';
import { FakeEmbedder } from '../../../support/searchFakeEmbedder';
import { fixtureData, freshDb, resetStores } from '../../../support/storeFixtures';
import {
  LoadableFakeEmbedder,
  memoryChoice,
  resetEmbeddingsStore,
  serviceFor,
} from '../embeddings/embeddingsTestSupport';
import { fixtureDb, fixtureRecords, openTab } from './consolidationTestSupport';

const fixtureFile = path.join(fixtureData, 'consolidate/memories.jsonl');

/** What the CLI computes on the fixture: its reader, core's detection, the same fake model. */
async function cliDetection(): Promise<{ memories: ConsolidationMemory[]; detection: Detection }> {
  const { current } = await readMemoryLinesFile(fixtureFile);
  return {
    memories: current,
    detection: await detectPairs(current, { embedder: new FakeEmbedder() }),
  };
}

/** The review queue as a person reads it: the two memories, similarity and how it was measured. */
const queue = () =>
  useConsolidationStore
    .getState()
    .pairs.map((pair) => [pair.olderId, pair.newerId, pair.similarity, pair.method]);

let db: DimmemDb;
let model: LoadableFakeEmbedder;
let embeddings: EmbeddingsService;

/** The embeddings service on `db` (its model loaded unless declined or failing), idle. */
async function startEmbeddings(options: { declined?: boolean; failWith?: string } = {}) {
  resetEmbeddingsStore();
  model = new LoadableFakeEmbedder(undefined, options.failWith ?? null);
  embeddings = serviceFor(db, model, memoryChoice(options.declined ?? false));
  await embeddings.start();
  await embeddings.whenIdle();
  // From here on the model's calls are detection's.
  model.embedded = [];
}

const tabWithEmbeddings = () => openTab(db, { embedder: () => embeddings.embedder() });

afterEach(() => embeddings?.stop());

describe('similarity by the embeddings service’s model', () => {
  beforeEach(async () => {
    db = await fixtureDb();
  });

  it('measures by embeddings once the model is ready, with the CLI’s similarity on the same fixture', async () => {
    await startEmbeddings();
    expect(embeddings.embedder()?.modelId).toBe(new FakeEmbedder().modelId);
    await tabWithEmbeddings().service.detect();

    const { detection } = await cliDetection();
    expect(detection.method).toBe('embedding');
    expect(useConsolidationStore.getState().method).toBe('embedding');
    expect(queue()).toEqual(
      detection.pairs.map((pair) => [pair.older, pair.newer, pair.similarity, 'embedding']),
    );
    // Not the lexical measure under another name: the paraphrases score differently.
    const lexical = await detectPairs((await cliDetection()).memories);
    expect(queue().map((pair) => pair[2])).not.toEqual(
      lexical.pairs.map((pair) => pair.similarity),
    );
    expect(queue().length).toBeGreaterThan(0);
  });

  it('embeds only the candidates’ contents, each once, and nothing again on the next detection', async () => {
    await startEmbeddings();
    const vectorsBefore = await loadAllVectorRecords(db);
    const tab = tabWithEmbeddings();
    await tab.service.detect();

    const { memories, detection } = await cliDetection();
    const involved = new Set<number>();
    for (const { older, newer } of keywordCandidates(memories).candidates)
      involved.add(older).add(newer);
    const positions = new Map(memories.map((memory, position) => [memory.id, position]));
    for (const group of ruleGroups(memories))
      for (const id of group.members) involved.add(positions.get(id)!);
    const candidateTexts = new Set([...involved].map((position) => memories[position]!.content));
    expect(new Set(model.embedded)).toEqual(candidateTexts);
    expect(model.embedded).toHaveLength(new Set(model.embedded).size);
    expect(model.embedded).toHaveLength(detection.stats.embedded);
    // Memories sharing no keyword with another of their person and type are never embedded.
    expect(model.embedded).not.toContain('The user works as a nurse.');
    expect(model.embedded).not.toContain('The user prefers morning runs.');
    expect(candidateTexts.size).toBeLessThan(memories.length);

    model.embedded = [];
    await tab.service.detect();
    expect(model.embedded).toEqual([]);
    expect(useConsolidationStore.getState().method).toBe('embedding');
    // The search's stored vectors are left as they were.
    expect(await loadAllVectorRecords(db)).toEqual(vectorsBefore);
  });

  it('embeds an edited content again, and only that one', async () => {
    await startEmbeddings();
    const tab = tabWithEmbeddings();
    await tab.service.detect();
    await editMemory(db, 'mem-lisbon', { content: '  The user moved to Lisbon.  ' });
    await loadAllStores(db);
    await embeddings.whenIdle();
    model.embedded = [];
    await tab.service.detect();
    expect(model.embedded).toEqual(['The user moved to Lisbon.']);
  });

  it('falls back to words when the model is declined after loading', async () => {
    await startEmbeddings();
    embeddings.decline();
    expect(embeddings.embedder()).toBeNull();
    await tabWithEmbeddings().service.detect();
    expect(model.embedded).toEqual([]);
    await expectLexicalQueue();
  });

  it.each([
    ['was declined', { declined: true }],
    ['failed to load', { failWith: 'network unreachable' }],
  ])('measures by words when the model %s', async (_, options) => {
    await startEmbeddings(options);
    expect(embeddings.embedder()).toBeNull();
    await tabWithEmbeddings().service.detect();
    expect(model.embedded).toEqual([]);
    await expectLexicalQueue();
  });

  it('measures by words while the model is still loading', async () => {
    resetEmbeddingsStore();
    let finish = () => {};
    model = new (class extends LoadableFakeEmbedder {
      override async load(onProgress: Parameters<LoadableFakeEmbedder['load']>[0]) {
        await new Promise<void>((resolve) => (finish = resolve));
        return super.load(onProgress);
      }
    })();
    embeddings = serviceFor(db, model, memoryChoice());
    const loading = embeddings.start();
    await tabWithEmbeddings().service.detect();
    await expectLexicalQueue();
    finish();
    await loading;
  });

  it('measures by words when the model fails during detection, without an error', async () => {
    const broken = new (class extends FakeEmbedder {
      override async embed(): Promise<Float32Array[]> {
        throw new Error('the embeddings worker stopped');
      }
    })();
    await openTab(db, { embedder: () => broken }).service.detect();
    const { phase, error } = useConsolidationStore.getState();
    expect({ phase, error }).toEqual({ phase: 'idle', error: null });
    await expectLexicalQueue();
  });
});

describe('content only, as the reference measures', () => {
  it('embeds the content without reason and purpose: the same similarity as without them', async () => {
    resetStores();
    db = await freshDb();
    const withReasons: MemoryRecord[] = fixtureRecords().map((record, index) => ({
      ...record,
      reason: `Reason number ${index}: the user mentioned it while talking about week ${index}.`,
      purpose: `Purpose ${index}: remember ${record.keywords.join(' and ')} for later.`,
    }));
    await putMemories(db, withReasons);
    await loadAllStores(db);
    await startEmbeddings();
    await tabWithEmbeddings().service.detect();

    const searchTexts = new Set(withReasons.map(memoryEmbeddingText));
    expect(model.embedded.length).toBeGreaterThan(0);
    for (const text of model.embedded) {
      expect(searchTexts.has(text)).toBe(false);
      expect(withReasons.some((record) => record.content === text)).toBe(true);
    }
    const { detection } = await cliDetection();
    expect(queue()).toEqual(
      detection.pairs.map((pair) => [pair.older, pair.newer, pair.similarity, 'embedding']),
    );
  });
});

/** The queue says `lexical` and holds what the CLI finds without an embedder. */
async function expectLexicalQueue(): Promise<void> {
  expect(useConsolidationStore.getState().method).toBe('lexical');
  const lexical = await detectPairs((await cliDetection()).memories);
  expect(lexical.pairs.length).toBeGreaterThan(0);
  expect(queue()).toEqual(
    lexical.pairs.map((pair) => [pair.older, pair.newer, pair.similarity, 'lexical']),
  );
}

describe('proposals detection no longer finds', () => {
  beforeEach(async () => {
    db = await fixtureDb();
  });

  it('keeps a model’s proposal while both memories are current, and drops it once one is not', async () => {
    const tab = openTab(db);
    await tab.service.detect();
    await tab.service.decide();
    const carbonara = useConsolidationStore
      .getState()
      .pairs.find(
        (pair) => pair.rule === null && pair.proposal?.mergedContent.includes('Carbonara'),
      )!;
    expect(carbonara.status).toBe('proposed');

    // Keywords edited apart: detection no longer pairs them, but the model's answer stays.
    await editMemory(db, carbonara.newerId, { keywords: ['unrelated'] });
    await loadAllStores(db);
    const byWords = await detectPairs(
      useMemoriesStore.getState().memories.map((memory) => ({ ...memory, locked: false })),
    );
    expect(byWords.pairs.map((pair) => pair.newer)).not.toContain(carbonara.newerId);
    await tab.service.detect();
    const kept = useConsolidationStore.getState().pairs.find((pair) => pair.id === carbonara.id);
    expect(kept?.proposal).toEqual(carbonara.proposal);

    // One of its memories deleted: nothing is left to decide.
    await deleteMemories(db, [carbonara.olderId]);
    await loadAllStores(db);
    await tab.service.detect();
    expect(useConsolidationStore.getState().pairs.map((pair) => pair.id)).not.toContain(
      carbonara.id,
    );
  });
});
