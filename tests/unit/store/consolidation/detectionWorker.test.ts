import path from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { readMemoryLinesFile } from '../../../../src/cli/consolidate/memoryLinesFile';
import type { ConsolidationMemory } from '../../../../src/core/consolidate';
import { detectPairs } from '../../../../src/core/consolidate';
import type { Embedder } from '../../../../src/core/search/embedder';
import { useConsolidationStore } from '../../../../src/store/consolidation/consolidationStore';
import { createPairDetector } from '../../../../src/store/consolidation/pairDetector';
import { FakeEmbedder } from '../../../support/searchFakeEmbedder';
import { fixtureData, until } from '../../../support/storeFixtures';
import { fixtureDb, openTab } from './consolidationTestSupport';
import { inProcessClient } from './detectionWorkerChannel';

const fixtureFile = path.join(fixtureData, 'consolidate/memories.jsonl');

let memories: ConsolidationMemory[];
beforeEach(async () => {
  memories = (await readMemoryLinesFile(fixtureFile)).current;
});

const notAborted = () => new AbortController().signal;

/** An embedder that answers nothing until its call is aborted (a model busy for ever). */
function stuckEmbedder(): Embedder & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    modelId: new FakeEmbedder().modelId,
    dimensions: 384,
    signals,
    embed: (_texts, signal) =>
      new Promise((_resolve, reject) => {
        signals.push(signal!);
        signal!.addEventListener('abort', () => reject(signal!.reason as Error));
      }),
  };
}

/** The queue as a person reads it: both memories, similarity and how it was measured. */
const queue = () =>
  useConsolidationStore
    .getState()
    .pairs.map((pair) => [pair.olderId, pair.newerId, pair.similarity, pair.method]);

describe('detection in the worker', () => {
  it('finds the same pairs as detection in this thread, by meaning and by words', async () => {
    const { client, workers } = inProcessClient();
    const byMeaning = await client.detect(memories, new FakeEmbedder(), notAborted());
    expect(byMeaning.method).toBe('embedding');
    expect(byMeaning.pairs.length).toBeGreaterThan(0);
    expect(byMeaning).toEqual(await detectPairs(memories, { embedder: new FakeEmbedder() }));

    const byWords = await client.detect(memories, null, notAborted());
    expect(byWords.method).toBe('lexical');
    expect(byWords).toEqual(await detectPairs(memories));
    // One worker for both; the vectors came from the page, asked for by the first detection only.
    expect(workers).toHaveLength(1);
    const asked = workers[0]!.toPage.filter((message) => message.type === 'embed');
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((message) => message.detection === 1)).toBe(true);
    expect(asked.flatMap((message) => message.texts)).toHaveLength(byMeaning.stats.embedded);
  });

  it('answers the worker from the page’s cache: nothing embedded again, an edited content alone', async () => {
    const { client, workers } = inProcessClient();
    const model = new FakeEmbedder();
    const detect = createPairDetector(() => model, client.detect);
    const first = await detect(memories);
    expect(model.embedded.length).toBeGreaterThan(0);
    expect(model.embedded).toHaveLength(first.stats.embedded);

    model.embedded = [];
    const asksBefore = workers[0]!.toPage.filter((message) => message.type === 'embed').length;
    // The cache's own vectors were copied into the transferred buffer, not moved away.
    expect(await detect(memories)).toEqual(first);
    expect(model.embedded).toEqual([]);
    const asksAfter = workers[0]!.toPage.filter((message) => message.type === 'embed').length;
    expect(asksAfter).toBeGreaterThan(asksBefore);

    const edited = memories.map((memory) =>
      memory.id === 'mem-lisbon' ? { ...memory, content: 'The user moved to Lisbon.' } : memory,
    );
    await detect(edited);
    expect(model.embedded).toEqual(['The user moved to Lisbon.']);
  });

  it('measures by words when the page’s embedder fails during detection', async () => {
    const { client, workers } = inProcessClient();
    const broken = new (class extends FakeEmbedder {
      override async embed(): Promise<Float32Array[]> {
        throw new Error('the embeddings worker stopped');
      }
    })();
    const detection = await createPairDetector(() => broken, client.detect)(memories);
    expect(detection.method).toBe('lexical');
    expect(detection).toEqual(await detectPairs(memories));
    expect(workers[0]!.toWorker).toContainEqual(
      expect.objectContaining({ type: 'embed-failed', message: 'the embeddings worker stopped' }),
    );
  });

  it('stops a cancelled detection in the worker and on the page, and detects again after', async () => {
    const { client, workers } = inProcessClient();
    const stuck = stuckEmbedder();
    const controller = new AbortController();
    const running = client.detect(memories, stuck, controller.signal);
    await until(() => stuck.signals.length === 1);
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(stuck.signals[0]!.aborted).toBe(true);
    // The worker was told, and ended that detection.
    await until(() =>
      workers[0]!.toPage.some((message) => message.type === 'failed' && message.cancelled),
    );
    expect(workers[0]!.toWorker).toContainEqual({ type: 'cancel', id: 1 });

    expect(await client.detect(memories, null, notAborted())).toEqual(await detectPairs(memories));
    expect(workers).toHaveLength(1);
  });

  it('fails a detection whose memories cannot be sent, and detects the next', async () => {
    const { client } = inProcessClient();
    const hostile = [{ ...memories[0]!, keywords: [() => 'not data'] as unknown as string[] }];
    await expect(client.detect(hostile, null, notAborted())).rejects.toMatchObject({
      name: 'DataCloneError',
    });
    expect(await client.detect(memories, null, notAborted())).toEqual(await detectPairs(memories));
  });

  it('rejects a detection at once when its signal was aborted before it began', async () => {
    const { client, workers } = inProcessClient();
    const controller = new AbortController();
    controller.abort();
    await expect(client.detect(memories, null, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(workers).toHaveLength(0);
  });
});

describe('the review queue detected in the worker', () => {
  it('lets a newer detection replace the one running: the queue comes from the newer one', async () => {
    const db = await fixtureDb();
    const { client, workers } = inProcessClient();
    const stuck = stuckEmbedder();
    let model: Embedder = stuck;
    const tab = openTab(db, { embedder: () => model, runDetection: client.detect });
    const older = tab.service.detect();
    await until(() => stuck.signals.length === 1);
    expect(useConsolidationStore.getState().phase).toBe('detecting');
    model = new FakeEmbedder();
    const newer = tab.service.detect();
    await Promise.all([older, newer]);

    expect(stuck.signals[0]!.aborted).toBe(true);
    const { phase, error, method } = useConsolidationStore.getState();
    expect({ phase, error, method }).toEqual({ phase: 'idle', error: null, method: 'embedding' });
    const expected = await detectPairs(memories, { embedder: new FakeEmbedder() });
    expect(queue()).toEqual(
      expected.pairs.map((pair) => [pair.older, pair.newer, pair.similarity, 'embedding']),
    );
    expect(workers).toHaveLength(1);
  });

  it('says so when the worker dies, and the next detection starts a fresh one', async () => {
    const db = await fixtureDb();
    const { client, workers } = inProcessClient();
    const stuck = stuckEmbedder();
    let model: Embedder = stuck;
    const tab = openTab(db, { embedder: () => model, runDetection: client.detect });
    const detecting = tab.service.detect();
    await until(() => stuck.signals.length === 1);
    workers[0]!.die('out of memory');
    await detecting;
    expect(useConsolidationStore.getState()).toMatchObject({
      phase: 'error',
      error: 'the detection worker stopped: out of memory',
      pairs: [],
    });
    // The page stopped embedding for it.
    expect(stuck.signals[0]!.aborted).toBe(true);

    model = new FakeEmbedder();
    await tab.service.detect();
    expect(workers).toHaveLength(2);
    const { phase, error, method } = useConsolidationStore.getState();
    expect({ phase, error, method }).toEqual({ phase: 'idle', error: null, method: 'embedding' });
    expect(queue()).toHaveLength(
      (await detectPairs(memories, { embedder: new FakeEmbedder() })).pairs.length,
    );
  });
});
