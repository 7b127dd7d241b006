import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { fillVectors } from '../../src/cli/search/vectorCache';
import { syntheticMemories, type SyntheticMemory } from '../../src/core/filter';
import type { Embedder } from '../../src/core/search';
import {
  bm25Route,
  embeddingRoute,
  parseQuestion,
  SearchIndex,
  searchMemories,
  structuredQuery,
  structuredRoute,
  parseTimeConstraint,
} from '../../src/core/search';
import { parseNaiveIso } from '../../src/core/time/localTime';
import type { Figure } from '../lib/figures';
import { benchEmbeddings } from './embeddings';
import { measure, type Timings } from '../lib/measure';
import { locomoVocabulary, seedTemplates } from '../lib/memoryInput';

const DIMENSIONS = 384;

/** Seeded random unit vectors: what all-MiniLM-L6-v2 would store, without the model. */
function randomUnitVectors(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const vectors = new Float32Array(count * DIMENSIONS);
  for (let row = 0; row < count; row++) {
    let norm = 0;
    for (let k = 0; k < DIMENSIONS; k++) {
      const value = next();
      vectors[row * DIMENSIONS + k] = value;
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    for (let k = 0; k < DIMENSIONS; k++) vectors[row * DIMENSIONS + k]! /= norm;
  }
  return vectors;
}

const spread = (timings: Timings) => `${timings.median.toFixed(1)}/${timings.p95.toFixed(1)}`;

/** Questions of every kind the parser reads: times, types, places, keywords, none of them. */
const questions = [
  'When did I last go to Paris?',
  'What do I like to eat?',
  'What did I buy last week?',
  'What did I do in May 2023?',
  'Where did I eat before June?',
  'What did we discuss between March and May 2023?',
  'Where did I move 2 years ago?',
  'What did I eat at Bella Vita in April?',
  'Who did I meet at the pottery class?',
  'How many times have I gone hiking this year?',
  'What books has Melanie read?',
  'Why did I start running?',
];

export async function benchSearch(
  log: (line: string) => void,
  options: { count?: number } = {},
): Promise<Figure[]> {
  const count = options.count ?? 100_000;
  const memories = syntheticMemories(count, {
    templates: seedTemplates(),
    vocabulary: locomoVocabulary(),
  });

  const buildStart = performance.now();
  const index = new SearchIndex<SyntheticMemory>(memories);
  // The ids' order for tie-breaks is made on the first question: counted here, with the build.
  index.idRanks();
  const buildMs = performance.now() - buildStart;
  const vectors = randomUnitVectors(count, 7);
  memories.forEach((memory, row) =>
    index.setVector(memory.id, vectors.subarray(row * DIMENSIONS, (row + 1) * DIMENSIONS), 'bench'),
  );
  log(`indexed ${count.toLocaleString('en-US')} memories in ${buildMs.toFixed(0)} ms`);

  const askedOn = parseNaiveIso('2023-07-12')!;
  const parsed = questions.map((question) => parseQuestion(question, { askedOn }).analysis);
  const queryVectors = randomUnitVectors(parsed.length, 11);
  const queryVector = (i: number) => queryVectors.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS);

  let turn = 0;
  const rank = await measure(
    () => {
      const i = turn++ % parsed.length;
      return searchMemories(index, parsed[i]!, { queryVector: queryVector(i) }).hits.length;
    },
    { warmup: 12, iterations: 96 },
  );

  // The bare baseline: one plain loop over the same vectors, dot product and best score.
  let baseTurn = 0;
  const bare = await measure(
    () => {
      const q = queryVector(baseTurn++ % parsed.length);
      let best = -Infinity;
      for (let row = 0; row < count; row++) {
        let sum = 0;
        const offset = row * DIMENSIONS;
        for (let k = 0; k < DIMENSIONS; k++) sum += vectors[offset + k]! * q[k]!;
        if (sum > best) best = sum;
      }
      return best;
    },
    { warmup: 3, iterations: 24 },
  );

  // Each route alone, to say where the time goes.
  let routeTurn = 0;
  const next = () => routeTurn++ % parsed.length;
  const bm25 = await measure(() => bm25Route(index, parsed[next()]!, 15).length, {
    warmup: 6,
    iterations: 48,
  });
  const structured = await measure(
    () => {
      const analysis = parsed[next()]!;
      const query = structuredQuery(analysis, parseTimeConstraint(analysis.dimension.time));
      return structuredRoute(index, query, 15).length;
    },
    { warmup: 6, iterations: 48 },
  );
  const meaning = await measure(() => embeddingRoute(index, queryVector(next()), 15).length, {
    warmup: 6,
    iterations: 48,
  });
  const routes = `bm25 ${spread(bm25.timings)}, structured ${spread(structured.timings)}, minilm ${spread(meaning.timings)}`;
  log(
    `rank ${spread(rank.timings)} (${routes}); bare dot loop ${spread(bare.timings)}; ms, median/p95`,
  );

  // Storage: the CLI's cache files for 10,000 memories, per memory.
  const sample = memories.slice(0, 10_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-bench-vectors-'));
  let bytesPerMemory: number;
  try {
    const file = path.join(dir, 'memories.jsonl');
    await writeFile(file, '');
    const embedder: Embedder = {
      modelId: 'Xenova/all-MiniLM-L6-v2@q8/mean/l2/256',
      dimensions: DIMENSIONS,
      embed: async (texts) =>
        texts.map((_, i) => vectors.slice(i * DIMENSIONS, (i + 1) * DIMENSIONS)),
    };
    const sampleIndex = new SearchIndex(sample);
    await fillVectors(file, sampleIndex, sample, embedder);
    const bytes =
      (await stat(`${file}.vectors.bin`)).size + (await stat(`${file}.vectors.json`)).size;
    bytesPerMemory = bytes / sample.length;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // The browser's embeddings: throughput into IndexedDB, stored size, int8 against float32.
  const embeddings = await benchEmbeddings(log, options);

  const n = count.toLocaleString('en-US');
  return [
    {
      part: 'search',
      id: 'search.rankP95',
      label: `rank a question, all routes + fusion, ${n} memories, p95`,
      value: rank.timings.p95,
      unit: 'ms',
      goal: { below: 50, setBy: 'issue' },
      detail: `after the question's embedding; median ${rank.timings.median.toFixed(1)} ms; ${questions.length} questions rotated; 384-dim vectors`,
    },
    {
      part: 'search',
      id: 'search.rankVsBareDotLoop',
      label: 'ranking vs a bare dot-product loop over the same vectors (p95)',
      value: rank.timings.p95 / bare.timings.p95,
      unit: '×',
      detail: `bare loop median/p95 ${spread(bare.timings)} ms; routes alone, median/p95 ms: ${routes}`,
    },
    {
      part: 'search',
      id: 'search.indexBuild',
      label: `build the search index, ${n} memories`,
      value: buildMs / 1000,
      unit: 's',
      detail:
        'words as ids with their postings and field sequences, times, types, id order; once per session',
    },
    {
      part: 'search',
      id: 'search.vectorBytesPerMemory',
      label: 'vector cache per memory (float32 × 384 + header row)',
      value: bytesPerMemory / 1024,
      unit: 'KB',
      detail: `${bytesPerMemory.toFixed(0)} bytes: ${DIMENSIONS * 4} of vector, the rest id and text hash`,
    },
    ...embeddings,
  ];
}
