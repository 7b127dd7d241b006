import type { ConsolidationMemory, Detection } from '../../src/core/consolidate';
import { CANDIDATES_PER_MEMORY, detectPairs } from '../../src/core/consolidate';
import type { Embedder } from '../../src/core/search';
import { syntheticMemories } from '../../src/core/filter';
import { FakeEmbedder, fakeVector } from '../../tests/support/searchFakeEmbedder';
import type { Figure } from '../lib/figures';
import { locomoVocabulary, seedTemplates } from '../lib/memoryInput';

const SIZES = [25_000, 50_000, 100_000] as const;

interface Timed {
  count: number;
  ms: number;
  detection: Detection;
}

/**
 * Consolidation's detection over synthetic memories of one person: the seed answer's memories as
 * templates, two random LoCoMo words added to each text and keywords, so every memory shares three
 * keywords with a sixteenth of all the others — a harder case than real memories, where most
 * keywords are rare.
 *
 * The goal's figure uses a fake embedder whose vectors are ready (the tests' hashing vectors,
 * computed before the clock starts and handed out from a map), as the app's page hands the
 * detection worker the vectors it keeps: detection's own work, every candidate's vector fetched.
 * The same detection with the hashing embedder computing every vector, and the lexical detection
 * (the app's route before the meaning model is loaded), are reported beside it.
 */
export async function benchConsolidate(
  log: (line: string) => void,
  options: { count?: number } = {},
): Promise<Figure[]> {
  const sizes = options.count === undefined ? [...SIZES] : [options.count];
  const templates = seedTemplates();
  const vocabulary = locomoVocabulary();
  const timed: Timed[] = [];
  let largest: ConsolidationMemory[] = [];
  for (const count of sizes) {
    const memories: ConsolidationMemory[] = syntheticMemories(count, {
      templates,
      vocabulary,
    }).map(({ edited, ...memory }) => ({
      ...memory,
      sourceIdInWindow: 0,
      locked: edited === true,
    }));
    const ready = readyVectors(memories);
    // One warm-up run on a slice, so the JIT has compiled the hot paths.
    await detectPairs(memories.slice(0, 5_000), { embedder: ready });
    const start = performance.now();
    const detection = await detectPairs(memories, { embedder: ready });
    const ms = performance.now() - start;
    timed.push({ count, ms, detection });
    const { stats } = detection;
    log(
      `${count.toLocaleString('en-US')} memories: ${ms.toFixed(0)} ms, ` +
        `${stats.pairsCompared.toLocaleString('en-US')} keyword comparisons, ` +
        `${stats.candidates.toLocaleString('en-US')} candidates (reference: ` +
        `${stats.referencePairs.toLocaleString('en-US')} pairs), ${stats.embedded.toLocaleString('en-US')} vectors read, ` +
        `${detection.pairs.length.toLocaleString('en-US')} pairs ≥ ${detection.threshold}`,
    );
    largest = memories;
  }
  const last = timed.at(-1)!;
  const hashing = await timedRun(() => detectPairs(largest, { embedder: new FakeEmbedder() }));
  const embedderAlone = await timedRun(async () => {
    const texts = largest.map((memory) => memory.content.trim());
    const embedder = new FakeEmbedder();
    for (let start = 0; start < texts.length; start += 256)
      await embedder.embed(texts.slice(start, start + 256));
  });
  const lexical = await timedRun(() => detectPairs(largest));
  log(
    `with the hashing embedder computing every vector: ${hashing.toFixed(0)} ms ` +
      `(the embedder alone: ${embedderAlone.toFixed(0)} ms); lexical: ${lexical.toFixed(0)} ms`,
  );
  const bareMs = bareLoop();
  log(`bare loop: 10,000,000 scattered increments in ${bareMs.toFixed(0)} ms`);

  const stats = last.detection.stats;
  const size = last.count.toLocaleString('en-US');
  const figures: Figure[] = [
    {
      part: 'consolidate',
      id: 'consolidate.detect',
      label: `detect duplicates in ${size} memories`,
      value: last.ms / 1000,
      unit: 's',
      goal: last.count === 100_000 ? { below: 5, setBy: 'issue' } : undefined,
      detail: `keyword blocking, top ten per memory, a fake embedder with its vectors ready, one run; bare loop ${bareMs.toFixed(0)} ms`,
    },
    {
      part: 'consolidate',
      id: 'consolidate.detectOverBare',
      label: 'detection ÷ bare loop of 10M increments',
      value: last.ms / bareMs,
      unit: '×',
    },
    {
      part: 'consolidate',
      id: 'consolidate.detectHashing',
      label: `the same, the hashing embedder computing ${stats.embedded.toLocaleString('en-US')} vectors`,
      value: hashing / 1000,
      unit: 's',
      detail: `the embedder alone takes ${(embedderAlone / 1000).toFixed(2)} s`,
    },
    {
      part: 'consolidate',
      id: 'consolidate.detectLexical',
      label: `detect duplicates in ${size} memories, lexical similarity`,
      value: lexical / 1000,
      unit: 's',
      detail: 'the app before the meaning model is loaded',
    },
    {
      part: 'consolidate',
      id: 'consolidate.candidates',
      label: `candidate pairs in ${size} memories`,
      value: stats.candidates,
      unit: 'count',
      goal: { below: last.count * CANDIDATES_PER_MEMORY + 1, setBy: 'bench' },
      detail: `reference compares ${stats.referencePairs.toLocaleString('en-US')} pairs (all of each type)`,
    },
    {
      part: 'consolidate',
      id: 'consolidate.candidateShare',
      label: 'candidates as a share of the reference’s pairs',
      value: (100 * stats.candidates) / stats.referencePairs,
      unit: '%',
    },
  ];
  if (timed.length === SIZES.length) {
    const first = timed[0]!;
    // Linear: 4× the memories take about 4× the time (all pairs would take 16×).
    figures.push({
      part: 'consolidate',
      id: 'consolidate.growth',
      label: `time at ${last.count / 1000}k ÷ time at ${first.count / 1000}k memories`,
      value: last.ms / first.ms,
      unit: '×',
      goal: { below: 6, setBy: 'bench' },
      detail: `${timed.map((r) => `${r.count / 1000}k ${r.ms.toFixed(0)} ms`).join(', ')}; linear is 4×, all pairs 16×`,
    });
  }
  return figures;
}

/** A fake embedder whose vectors were computed before the clock starts: lookups only. */
function readyVectors(memories: readonly ConsolidationMemory[]): Embedder {
  const vectors = new Map<string, Float32Array>();
  for (const memory of memories) {
    const text = memory.content.trim();
    if (!vectors.has(text)) vectors.set(text, fakeVector(text));
  }
  return {
    modelId: 'fake-hashing-embedder/v1',
    dimensions: 384,
    embed: async (texts) => texts.map((text) => vectors.get(text)!),
  };
}

async function timedRun(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/**
 * The machine's speed in the same run: a bare loop of ten million scattered typed-array
 * increments, the join's innermost step, so a slow or busy machine shows as such.
 */
function bareLoop(): number {
  const counts = new Int32Array(100_003);
  const start = performance.now();
  let checksum = 0;
  for (let step = 0; step < 10_000_000; step++) {
    const slot = (step * 7919) % counts.length;
    counts[slot] = counts[slot]! + 1;
    checksum += counts[slot]!;
  }
  const ms = performance.now() - start;
  if (checksum === 0) throw new Error('the bare loop did nothing');
  return ms;
}
