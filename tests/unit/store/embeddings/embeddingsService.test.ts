import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SearchIndex, parseQuestion, searchMemories } from '../../../../src/core/search';
import { memoryEmbeddingText } from '../../../../src/core/search/embedder';
import type { DimmemDb } from '../../../../src/store/db/db';
import { openDimmemDb } from '../../../../src/store/db/db';
import type { MemoryRecord } from '../../../../src/store/db/records';
import { embeddingTextHash } from '../../../../src/store/embeddings/embeddingTextHash';
import type { EmbeddingsService } from '../../../../src/store/embeddings/embeddingsService';
import { useEmbeddingsStore } from '../../../../src/store/embeddings/embeddingsStore';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { fakeVector } from '../../../support/searchFakeEmbedder';
import { resetStores } from '../../../support/storeFixtures';
import {
  LoadableFakeEmbedder,
  memoryChoice,
  resetEmbeddingsStore,
  seedRecords,
  serviceFor,
} from './embeddingsTestSupport';

let name: string;
let db: DimmemDb;
let service: EmbeddingsService | null = null;
let counter = 0;

beforeEach(async () => {
  counter += 1;
  name = `embeddings-${process.pid}-${counter}-${Date.now()}`;
  db = await openDimmemDb({ name });
  resetStores();
  resetEmbeddingsStore();
  useMemoriesStore.getState().setAll([]);
});
afterEach(() => {
  service?.stop();
  service = null;
  db.close();
});

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

async function storedIds(): Promise<string[]> {
  return (await db.getAllKeys('memoryVectors')).sort();
}

describe('memory vectors in the browser store', () => {
  it('stores a compact vector for each memory once a window commits, with the model id and text hash', async () => {
    const embedder = new LoadableFakeEmbedder();
    service = serviceFor(db, embedder);
    await service.whenIdle();
    expect(embedder.loads).toBe(0);
    expect(service.status()).toEqual({
      state: 'off',
      reason: 'The meaning model has not been loaded: it loads once there are memories.',
    });

    const records = seedRecords();
    useMemoriesStore.getState().commitWindow('run-1', 0, records);
    await service.whenIdle();

    expect(embedder.loads).toBe(1);
    expect(service.status()).toEqual({ state: 'on', modelId: 'fake-hashing-embedder/v1' });
    expect(await storedIds()).toEqual(records.map((memory) => memory.id).sort());
    const first = records[0]!;
    const stored = (await db.get('memoryVectors', first.id))!;
    expect(stored.modelId).toBe('fake-hashing-embedder/v1');
    expect(stored.textHash).toBe(embeddingTextHash(first));
    expect(stored.dims).toBe(384);
    expect(stored.vector.byteLength).toBe(388);
    expect(
      cosine(service.vectorOf(first.id)!, fakeVector(memoryEmbeddingText(first))),
    ).toBeGreaterThan(0.999);
    expect(useEmbeddingsStore.getState()).toMatchObject({ embedded: records.length, waiting: 0 });
  });

  it('embeds an edited memory again, and only that one', async () => {
    const embedder = new LoadableFakeEmbedder();
    useMemoriesStore.getState().setAll(seedRecords());
    service = serviceFor(db, embedder);
    await service.whenIdle();
    const before = embedder.embedded.length;
    const [first, second] = seedRecords();
    const edited: MemoryRecord = { ...first!, content: 'The user moved to Lisbon.', edited: true };
    // A change outside the embedded text (keywords) needs no new vector.
    const retagged: MemoryRecord = { ...second!, keywords: ['new keyword'] };
    useMemoriesStore.getState().upsertMany([edited, retagged]);
    await service.whenIdle();

    expect(embedder.embedded.slice(before)).toEqual([memoryEmbeddingText(edited)]);
    const stored = (await db.get('memoryVectors', edited.id))!;
    expect(stored.textHash).toBe(embeddingTextHash(edited));
    expect(
      cosine(service.vectorOf(edited.id)!, fakeVector(memoryEmbeddingText(edited))),
    ).toBeGreaterThan(0.999);
  });

  it('removes the vectors of deleted memories', async () => {
    const records = seedRecords();
    useMemoriesStore.getState().setAll(records);
    service = serviceFor(db, new LoadableFakeEmbedder());
    await service.whenIdle();
    const gone = records.slice(0, 3).map((memory) => memory.id);
    useMemoriesStore.getState().removeMany(gone);
    await service.whenIdle();
    expect(await storedIds()).toEqual(
      records
        .slice(3)
        .map((memory) => memory.id)
        .sort(),
    );
    expect(service.vectorOf(gone[0]!)).toBeNull();
  });

  it('keeps vectors across a reopened database and embeds nothing again; another model embeds all again', async () => {
    const records = seedRecords();
    useMemoriesStore.getState().setAll(records);
    service = serviceFor(db, new LoadableFakeEmbedder());
    await service.whenIdle();
    service.stop();
    db.close();

    // Reload: the same database, the same memories, the same model.
    db = await openDimmemDb({ name });
    resetEmbeddingsStore();
    useMemoriesStore.getState().setAll(seedRecords());
    const again = new LoadableFakeEmbedder();
    service = serviceFor(db, again);
    await service.whenIdle();
    expect(again.embedded).toEqual([]);

    const index = new SearchIndex<MemoryRecord>(useMemoriesStore.getState().memories);
    service.fillVectors(index);
    expect(index.vectorModel).toBe('fake-hashing-embedder/v1');
    const asked = parseQuestion('What did I buy for my sister?', {
      askedOn: records[0]!.messageTimestamp,
    }).analysis;
    const result = searchMemories(index, asked, {
      queryVector: fakeVector(asked.query_anchor),
      fusion: 'concat',
    });
    expect(result.routesOn).toContain('minilm');
    // The stored (int8) vectors rank as the fake model's own vectors do.
    const queryVector = fakeVector(asked.query_anchor);
    const nearest = [...records].sort(
      (a, b) =>
        cosine(queryVector, fakeVector(memoryEmbeddingText(b))) -
          cosine(queryVector, fakeVector(memoryEmbeddingText(a))) || a.id.localeCompare(b.id),
    )[0]!;
    expect(result.routeLists.minilm[0]!.memory.id).toBe(nearest.id);
    service.stop();

    // A new model id: every vector is computed again and overwritten.
    resetEmbeddingsStore();
    const other = new LoadableFakeEmbedder('fake-hashing-embedder/v2');
    service = serviceFor(db, other);
    await service.whenIdle();
    expect(other.embedded).toHaveLength(records.length);
    const modelIds = new Set((await db.getAll('memoryVectors')).map((record) => record.modelId));
    expect([...modelIds]).toEqual(['fake-hashing-embedder/v2']);
  });

  it('replaces a damaged stored vector instead of using it', async () => {
    const records = seedRecords();
    await db.put('memoryVectors', {
      memoryId: records[0]!.id,
      modelId: 'fake-hashing-embedder/v1',
      textHash: embeddingTextHash(records[0]!),
      vector: 'not a vector',
      dims: 384,
    } as never);
    useMemoriesStore.getState().setAll(records);
    const embedder = new LoadableFakeEmbedder();
    service = serviceFor(db, embedder);
    await service.whenIdle();
    expect(embedder.embedded).toContain(memoryEmbeddingText(records[0]!));
    expect((await db.get('memoryVectors', records[0]!.id))!.vector).toBeInstanceOf(ArrayBuffer);
  });
});

describe('the meaning model’s status', () => {
  it('declined: nothing is downloaded, the route says why it is off, and allowing loads it', async () => {
    const embedder = new LoadableFakeEmbedder();
    const choice = memoryChoice(true);
    useMemoriesStore.getState().setAll(seedRecords());
    service = serviceFor(db, embedder, choice);
    await service.whenIdle();
    expect(embedder.loads).toBe(0);
    expect(useEmbeddingsStore.getState().status).toEqual({ state: 'declined' });
    const off = service.status();
    expect(off.state === 'off' && off.reason).toMatch(/download was declined/);
    await expect(service.embedQuestion('where did I go?')).rejects.toThrow(/declined/);
    expect(await storedIds()).toEqual([]);

    await service.allow();
    await service.whenIdle();
    expect(choice.value).toBe(false);
    expect(embedder.loads).toBe(1);
    expect(await storedIds()).toHaveLength(seedRecords().length);
    const question = await service.embedQuestion('where did I go?');
    expect(question).toEqual(fakeVector('where did I go?'));
  });

  it('a model that cannot be loaded leaves the route off with the reason, and a retry loads it', async () => {
    const failing = new LoadableFakeEmbedder(
      undefined,
      'Xenova/all-MiniLM-L6-v2 could not be loaded: Failed to fetch',
    );
    useMemoriesStore.getState().setAll(seedRecords());
    service = serviceFor(db, failing);
    await service.whenIdle();
    expect(useEmbeddingsStore.getState().status).toEqual({
      state: 'failed',
      reason: 'Xenova/all-MiniLM-L6-v2 could not be loaded: Failed to fetch',
    });
    expect(failing.disposed).toBe(true);
    const off = service.status();
    expect(off.state === 'off' && off.reason).toBe(
      'The meaning model could not be loaded: Xenova/all-MiniLM-L6-v2 could not be loaded: Failed to fetch',
    );
    // A later change of the memories does not retry on its own (no download loop)...
    useMemoriesStore.getState().removeMany([seedRecords()[0]!.id]);
    await service.whenIdle();
    expect(failing.loads).toBe(1);
    // ...but asking again does.
    failing.failWith = null;
    await service.start();
    await service.whenIdle();
    expect(service.status()).toEqual({ state: 'on', modelId: 'fake-hashing-embedder/v1' });
    expect(await storedIds()).toHaveLength(seedRecords().length - 1);
  });

  it('reports download progress with the time left', async () => {
    let clock = 0;
    const progress: unknown[] = [];
    useEmbeddingsStore.subscribe((state) => {
      if (state.status.state === 'loading') progress.push(state.status.progress);
    });
    const slow = new LoadableFakeEmbedder();
    slow.load = async (onProgress) => {
      onProgress({ file: 'tokenizer.json', loaded: 700_000, total: 700_000 });
      clock = 2_000;
      onProgress({ file: 'onnx/model_quantized.onnx', loaded: 5_000_000, total: 23_000_000 });
      return { device: 'webgpu' };
    };
    useMemoriesStore.getState().setAll(seedRecords());
    service = serviceFor(db, slow, memoryChoice(), { now: () => clock });
    await service.whenIdle();
    // 5.7 MB in 2 s: 18 MB left at 2.85 MB/s.
    expect(progress.at(-1)).toEqual({
      loadedBytes: 5_700_000,
      totalBytes: 23_700_000,
      secondsLeft: 18_000_000 / 2_850_000,
    });
    expect(useEmbeddingsStore.getState().status).toEqual({
      state: 'ready',
      modelId: 'fake-hashing-embedder/v1',
      device: 'webgpu',
    });
  });
});
