import { describe, expect, it } from 'vitest';

import {
  embeddingRoute,
  laneDot,
  meaningCandidates,
  SearchIndex,
  VectorStore,
  type SearchableMemory,
} from '../../../../src/core/search';
import { seededRandom } from '../../../../src/core/seededRandom';
import { fakeVector } from '../../../support/searchFakeEmbedder';
import { fixtureMemories } from '../../../support/searchTestData';

const DIMENSIONS = 384;

/** Seeded numbers in [-0.5, 0.5). */
function random(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() - 0.5;
}

function unitVector(next: () => number): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  let norm = 0;
  for (let k = 0; k < DIMENSIONS; k++) {
    vector[k] = next();
    norm += vector[k]! ** 2;
  }
  return vector.map((value) => value / Math.sqrt(norm));
}

/** Float32 lanes kept in a Float32Array: every store rounds, as a SIMD register does. */
function float32Lanes(row: Float32Array, query: Float32Array): number {
  const lanes = new Float32Array(4);
  const product = new Float32Array(1);
  for (let k = 0; k < row.length; k++) {
    product[0] = row[k]! * query[k]!;
    lanes[k % 4] = lanes[k % 4]! + product[0];
  }
  const pairs = Float32Array.of(lanes[0]! + lanes[1]!, lanes[2]! + lanes[3]!);
  return Float32Array.of(pairs[0]! + pairs[1]!)[0]!;
}

/** Hostile rows: near and exact duplicates, zeros, NaN, Infinity, one huge component. */
function hostileMemories(count: number) {
  const next = random(3);
  const memories: SearchableMemory[] = [];
  const vectors: Float32Array[] = [];
  const base = fixtureMemories()[0]!;
  for (let row = 0; row < count; row++) {
    let vector = unitVector(next);
    if (row % 50 === 1) vector = vectors[row - 1]!.slice();
    if (row % 50 === 2) vector = vectors[row - 2]!.map((value) => value + next() * 1e-6);
    if (row % 97 === 3) vector = new Float32Array(DIMENSIONS);
    if (row % 89 === 4) vector = unitVector(next).map((value, k) => (k === 7 ? 40 : value));
    if (row === 500) vector[3] = Number.NaN;
    if (row === 600) vector[9] = Number.POSITIVE_INFINITY;
    vectors.push(vector);
    // Ids out of slot order, so ties are not already in id order.
    memories.push({ ...base, id: `m-${(row * 7919) % count}-${row % 3}` });
  }
  return { memories, vectors };
}

/** Every slot scored in float32, best first, ties by id: the list the route must give. */
function bruteForce(index: SearchIndex, query: Float32Array, k: number) {
  const scored: { slot: number; score: number }[] = [];
  index.vectors.score(query, index.memories.length, (slot, score) => {
    if (!Number.isNaN(score)) scored.push({ slot, score });
  });
  scored.sort((a, b) =>
    a.score !== b.score ? b.score - a.score : index.ids[a.slot]! < index.ids[b.slot]! ? -1 : 1,
  );
  return scored.slice(0, k);
}

describe('meaning route', () => {
  it('scores in float32 lanes, exactly as a SIMD float32 kernel sums', () => {
    const next = random(1);
    for (let trial = 0; trial < 200; trial++) {
      const row = unitVector(next);
      const query = trial % 2 ? unitVector(next) : row.map((value) => value * 1e6 + next());
      expect(laneDot(row, 0, query, DIMENSIONS)).toBe(float32Lanes(row, query));
    }
  });

  it('keeps every vector across growth and chunk edges, and scores each filled slot', () => {
    const store = new VectorStore(DIMENSIONS, 1);
    expect(store.simd).toBe(true);
    const rows = 4096 + 37;
    const vectors = Array.from({ length: rows }, (_, row) =>
      fakeVector(`memory ${row} word${row % 97} other${row % 13}`),
    );
    vectors.forEach((vector, slot) => {
      if (slot % 5 !== 3) store.set(slot, vector);
    });
    const query = fakeVector('memory word42 other7');
    const seen: [number, number][] = [];
    store.score(query, rows, (slot, score) => seen.push([slot, score]));
    expect(seen.map(([slot]) => slot)).toEqual(
      vectors.map((_, slot) => slot).filter((slot) => slot % 5 !== 3),
    );
    for (const [slot, score] of seen) expect(score).toBe(float32Lanes(vectors[slot]!, query));
    expect(Array.from(store.row(4100))).toEqual(Array.from(vectors[4100]!));
    expect(store.count).toBe(seen.length);
  });

  it('lists what scoring every memory in float32 lists, ties and hostile vectors included', () => {
    const { memories, vectors } = hostileMemories(6000);
    const index = new SearchIndex(memories);
    memories.forEach((memory, row) => index.setVector(memory.id, vectors[row]!, 'test'));
    const next = random(9);
    const queries = [
      vectors[10]!,
      vectors[51]!,
      unitVector(next),
      unitVector(next).map((value, k) => (k % 40 === 0 ? value * 300 : value)),
      new Float32Array(DIMENSIONS),
    ];
    for (const query of queries) {
      for (const k of [1, 15, 300]) {
        const route = embeddingRoute(index, query, k);
        expect(route).toEqual(bruteForce(index, query, k));
      }
    }
  });

  it('narrows the float32 scoring to a few memories on ordinary vectors', () => {
    const next = random(5);
    const store = new VectorStore(DIMENSIONS, 0);
    for (let slot = 0; slot < 10_000; slot++) store.set(slot, unitVector(next));
    const candidates = meaningCandidates(store, unitVector(next), 10_000, 15)!;
    expect(candidates.length).toBeGreaterThanOrEqual(15);
    expect(candidates.length).toBeLessThan(200);
  });

  it('ranks the fixture with ties broken by id, whatever order the memories come in', () => {
    const memories = fixtureMemories();
    const forward = new SearchIndex(memories);
    const reversed = new SearchIndex([...memories].reverse());
    for (const index of [forward, reversed]) {
      // One shared word each: many equal cosines.
      for (const m of index.memories)
        index.setVector(m!.id, fakeVector(`${m!.memoryType} x`), 'fake');
    }
    const query = fakeVector('episodic');
    const ids = (index: SearchIndex) =>
      embeddingRoute(index, query, 15).map(({ slot, score }) => [index.ids[slot], score]);
    expect(ids(forward)).toEqual(ids(reversed));
    const listed = ids(forward).map(([id]) => id as string);
    const tied = listed.filter((_, i) => ids(forward)[i]![1] === ids(forward)[0]![1]);
    expect(tied).toEqual([...tied].sort());
    expect(tied.length).toBeGreaterThan(1);
  });
});
