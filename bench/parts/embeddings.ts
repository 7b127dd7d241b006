// IndexedDB for Node (this part writes vectors as the browser's store does).
import 'fake-indexeddb/auto';

import { syntheticMemories } from '../../src/core/filter';
import type { Embedder } from '../../src/core/search';
import { memoryEmbeddingText } from '../../src/core/search/embedder';
import { MiniLmEmbedder } from '../../src/engine/embeddings';
import { openDimmemDb } from '../../src/store/db/db';
import type { MemoryRecord } from '../../src/store/db/records';
import { createEmbeddingsService } from '../../src/store/embeddings/embeddingsService';
import {
  decodeVector,
  encodeVector,
  encodedBytes,
  type VectorEncoding,
} from '../../src/store/embeddings/vectorCodec';
import { FakeEmbedder } from '../../tests/support/searchFakeEmbedder';
import type { Figure } from '../lib/figures';
import { locomoVocabulary, seedTemplates } from '../lib/memoryInput';
import { benchEmbeddingModel } from './embeddingModel';

const DIMENSIONS = 384;
const BATCH = 16;

/**
 * all-MiniLM-L6-v2 when a folder holding `Xenova/all-MiniLM-L6-v2/` is named by
 * DIMMEM_MINILM_DIR (it cannot be downloaded on the bench machine), else the tests' hashing
 * embedder: then the figures are the store's own costs (hash, encode, IndexedDB) without a model.
 */
function benchEmbedder(): { embedder: Embedder & { load?: () => Promise<void> }; model: string } {
  const folder = process.env.DIMMEM_MINILM_DIR;
  if (folder) {
    return {
      embedder: new MiniLmEmbedder({ localModelPath: folder, offline: true, batchSize: BATCH }),
      model: 'all-MiniLM-L6-v2 (q8, onnxruntime-node)',
    };
  }
  return { embedder: new FakeEmbedder(), model: 'hashing stand-in (no model on this machine)' };
}

function seededUnitVectors(count: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const vector = Float32Array.from({ length: DIMENSIONS }, next);
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

function topIds(vectors: readonly Float32Array[], query: Float32Array, k: number): number[] {
  const scored = vectors.map((vector, row) => {
    let sum = 0;
    for (let i = 0; i < DIMENSIONS; i++) sum += vector[i]! * query[i]!;
    return { row, sum };
  });
  return scored
    .sort((a, b) => b.sum - a.sum || a.row - b.row)
    .slice(0, k)
    .map(({ row }) => row);
}

/** Share of float32's top 15 that int8 vectors also rank in their top 15, over the queries. */
function int8Agreement(count: number): { nearQueries: number; randomQueries: number } {
  const vectors = seededUnitVectors(count, 3);
  const decoded = vectors.map((vector) => decodeVector(encodeVector(vector, 'int8'), DIMENSIONS));
  const agreement = (queries: Float32Array[]) => {
    let shared = 0;
    for (const query of queries) {
      const exact = new Set(topIds(vectors, query, 15));
      shared += topIds(decoded, query, 15).filter((row) => exact.has(row)).length;
    }
    return shared / (queries.length * 15);
  };
  // A question close to some memories (a memory's vector plus as much noise): real retrieval.
  const noise = seededUnitVectors(20, 5);
  const near = noise.map((extra, i) => {
    const query = vectors[(i * 7919) % count]!.map((value, k) => value + extra[k]!);
    const norm = Math.hypot(...query);
    return query.map((value) => value / norm);
  });
  return { nearQueries: agreement(near), randomQueries: agreement(seededUnitVectors(20, 9)) };
}

export async function benchEmbeddings(
  log: (line: string) => void,
  options: { count?: number } = {},
): Promise<Figure[]> {
  const count = Math.min(options.count ?? 2_000, 2_000);
  const memories = syntheticMemories(count, {
    templates: seedTemplates(),
    vocabulary: locomoVocabulary(),
  }) as unknown as MemoryRecord[];
  const texts = memories.map(memoryEmbeddingText);
  const { embedder, model } = benchEmbedder();
  await embedder.embed(texts.slice(0, BATCH));

  const bareStart = performance.now();
  for (let start = 0; start < texts.length; start += BATCH) {
    await embedder.embed(texts.slice(start, start + BATCH));
  }
  const bareSeconds = (performance.now() - bareStart) / 1000;

  const db = await openDimmemDb({ name: `bench-embeddings-${process.pid}` });
  const service = createEmbeddingsService({
    db: async () => db,
    createEmbedder: () => ({
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      embed: (batch, signal) => embedder.embed(batch, signal),
      load: async () => ({ device: 'node' }),
      dispose: () => undefined,
    }),
    memories: { current: () => memories, subscribe: () => () => undefined },
    choice: { declined: () => false, setDeclined: () => undefined },
    settleMs: 0,
    batchSize: BATCH,
  });
  const serviceStart = performance.now();
  await service.start();
  await service.whenIdle();
  const serviceSeconds = (performance.now() - serviceStart) / 1000;
  const stored = await db.count('memoryVectors');
  service.stop();
  db.close();
  if (stored !== count) throw new Error(`${stored} vectors stored for ${count} memories`);

  const agreement = int8Agreement(Math.min(options.count ?? 20_000, 20_000));
  const recordBytes = (encoding: VectorEncoding) =>
    encodedBytes(DIMENSIONS, encoding) + 36 + embedder.modelId.length + 16 + 8;
  log(
    `embedded ${count} memories: ${(count / serviceSeconds).toFixed(0)}/s through the store, ` +
      `${(count / bareSeconds).toFixed(0)}/s bare (${model}); int8 top-15 agreement ` +
      `${(agreement.nearQueries * 100).toFixed(1)}% (near), ${(agreement.randomQueries * 100).toFixed(1)}% (random)`,
  );
  // The model's own rate, with the tests' same-shape stand-in (Node; the browser's is not measured).
  const modelRate = await benchEmbeddingModel(log, texts.slice(0, Math.min(count, 512)));
  return [
    ...modelRate,
    {
      part: 'search',
      id: 'search.embedThroughput',
      label: `memories embedded and stored per second (${model})`,
      value: count / serviceSeconds,
      unit: 'count',
      detail: `${count} synthetic memories, batches of ${BATCH}, int8 vectors into IndexedDB (fake-indexeddb in Node)`,
    },
    {
      part: 'search',
      id: 'search.embedVsBareLoop',
      label: 'embedding through the store vs a bare loop over the same embedder',
      value: serviceSeconds / bareSeconds,
      unit: '×',
      detail: `bare loop ${(count / bareSeconds).toFixed(0)} memories/s: the rest is text hashing, int8 encoding and the writes`,
    },
    {
      part: 'search',
      id: 'search.browserVectorBytesPerMemory',
      label: 'browser vector record per memory (int8 × 384 + scale, id, model id, hash)',
      value: recordBytes('int8') / 1024,
      unit: 'KB',
      detail: `${encodedBytes(DIMENSIONS, 'int8')} bytes of vector; float32 would be ${encodedBytes(DIMENSIONS, 'float32')} (${(recordBytes('float32') / 1024).toFixed(2)} KB a record)`,
    },
    {
      part: 'search',
      id: 'search.int8TopAgreement',
      label: 'int8 vectors: share of the float32 top 15 kept (questions near memories)',
      value: agreement.nearQueries * 100,
      unit: '%',
      detail: `random unit vectors; questions unrelated to any memory: ${(agreement.randomQueries * 100).toFixed(1)}%`,
    },
  ];
}
