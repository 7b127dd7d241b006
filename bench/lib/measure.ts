/** Timing helpers: plain `performance.now()` loops with warm-up, summarised by percentiles. */

export interface Timings {
  /** Every measured run, in milliseconds, in run order. */
  samples: number[];
  median: number;
  p95: number;
  min: number;
  mean: number;
}

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: readonly number[]): Timings {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: [...samples],
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0]!,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

export interface MeasureOptions {
  /** Runs thrown away first, so the JIT has compiled the hot paths. */
  warmup: number;
  iterations: number;
}

/** Times `run` once per iteration. The result of each run is returned so it cannot be optimised away. */
export async function measure<T>(
  run: () => T | Promise<T>,
  { warmup, iterations }: MeasureOptions,
): Promise<{ timings: Timings; last: T }> {
  let last: T | undefined;
  for (let i = 0; i < warmup; i++) last = await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    last = await run();
    samples.push(performance.now() - start);
  }
  return { timings: summarize(samples), last: last as T };
}
