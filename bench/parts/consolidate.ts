import type { ConsolidationMemory } from '../../src/core/consolidate';
import { CANDIDATES_PER_MEMORY, detectPairs } from '../../src/core/consolidate';
import { syntheticMemories } from '../../src/core/filter';
import { FakeEmbedder } from '../../tests/support/searchFakeEmbedder';
import type { Figure } from '../lib/figures';
import { locomoVocabulary, seedTemplates } from '../lib/memoryInput';

const SIZES = [25_000, 50_000, 100_000] as const;

/**
 * Consolidation's detection over synthetic memories of one person: the seed answer's memories as
 * templates, two random LoCoMo words added to each text and keywords, so every memory shares three
 * keywords with a fourteenth of all the others — a harder case than real memories, where most
 * keywords are rare. Similarity by the tests' hashing embedder (words to dimensions), so the
 * embedding cost of every candidate memory is counted.
 */
export async function benchConsolidate(
  log: (line: string) => void,
  options: { count?: number } = {},
): Promise<Figure[]> {
  const sizes = options.count === undefined ? [...SIZES] : [options.count];
  const templates = seedTemplates();
  const vocabulary = locomoVocabulary();
  const results: { count: number; ms: number; candidates: number; referencePairs: number }[] = [];
  for (const count of sizes) {
    const memories: ConsolidationMemory[] = syntheticMemories(count, {
      templates,
      vocabulary,
    }).map(({ edited, ...memory }) => ({
      ...memory,
      sourceIdInWindow: 0,
      locked: edited === true,
    }));
    // One warm-up run on a slice, so the JIT has compiled the hot paths.
    await detectPairs(memories.slice(0, 5_000), { embedder: new FakeEmbedder() });
    const start = performance.now();
    const detection = await detectPairs(memories, { embedder: new FakeEmbedder() });
    const ms = performance.now() - start;
    const { stats } = detection;
    results.push({ count, ms, candidates: stats.candidates, referencePairs: stats.referencePairs });
    log(
      `${count.toLocaleString('en-US')} memories: ${ms.toFixed(0)} ms, ` +
        `${stats.pairsCompared.toLocaleString('en-US')} keyword comparisons, ` +
        `${stats.candidates.toLocaleString('en-US')} candidates (reference: ` +
        `${stats.referencePairs.toLocaleString('en-US')} pairs), ${stats.embedded.toLocaleString('en-US')} texts embedded, ` +
        `${detection.pairs.length.toLocaleString('en-US')} pairs ≥ ${detection.threshold}`,
    );
  }
  // The machine's speed in the same run: a bare loop of ten million scattered typed-array
  // increments, the join's innermost step, so a slow or busy machine shows as such.
  const counts = new Int32Array(100_003);
  const bareStart = performance.now();
  let checksum = 0;
  for (let step = 0; step < 10_000_000; step++) {
    const slot = (step * 7919) % counts.length;
    counts[slot] = counts[slot]! + 1;
    checksum += counts[slot]!;
  }
  const bareMs = performance.now() - bareStart;
  log(
    `bare loop: 10,000,000 scattered increments in ${bareMs.toFixed(0)} ms (checksum ${checksum})`,
  );
  const largest = results.at(-1)!;
  const figures: Figure[] = [
    {
      part: 'consolidate',
      id: 'consolidate.detect',
      label: `detect duplicates in ${largest.count.toLocaleString('en-US')} memories`,
      value: largest.ms / 1000,
      unit: 's',
      goal: largest.count === 100_000 ? { below: 5, setBy: 'issue' } : undefined,
      detail: `keyword blocking, top ten per memory, hashing fake embedder, one run; bare loop ${bareMs.toFixed(0)} ms`,
    },
    {
      part: 'consolidate',
      id: 'consolidate.detectOverBare',
      label: 'detection ÷ bare loop of 10M increments',
      value: largest.ms / bareMs,
      unit: '×',
    },
    {
      part: 'consolidate',
      id: 'consolidate.candidates',
      label: `candidate pairs in ${largest.count.toLocaleString('en-US')} memories`,
      value: largest.candidates,
      unit: 'count',
      goal: { below: largest.count * CANDIDATES_PER_MEMORY + 1, setBy: 'bench' },
      detail: `reference compares ${largest.referencePairs.toLocaleString('en-US')} pairs (all of each type)`,
    },
    {
      part: 'consolidate',
      id: 'consolidate.candidateShare',
      label: 'candidates as a share of the reference’s pairs',
      value: (100 * largest.candidates) / largest.referencePairs,
      unit: '%',
    },
  ];
  if (results.length === SIZES.length) {
    const first = results[0]!;
    // Linear: 4× the memories take about 4× the time (all pairs would take 16×).
    figures.push({
      part: 'consolidate',
      id: 'consolidate.growth',
      label: `time at ${largest.count / 1000}k ÷ time at ${first.count / 1000}k memories`,
      value: largest.ms / first.ms,
      unit: '×',
      goal: { below: 6, setBy: 'bench' },
      detail: `${results.map((r) => `${r.count / 1000}k ${r.ms.toFixed(0)} ms`).join(', ')}; linear is 4×, all pairs 16×`,
    });
  }
  return figures;
}
