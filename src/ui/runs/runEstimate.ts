import type { RunRecord, WindowRecord } from '../../store/db/records';

/** Answer length assumed before any window has finished (the seed's 16 memories are ~1.9k tokens). */
export const assumedAnswerTokens = 1800;

export interface Speeds {
  prefill: number | null;
  decode: number | null;
}

/**
 * Measured speeds and answer length from finished windows of earlier runs (the most recent
 * measurement wins for speeds; answer length is the average).
 */
export function measuredFromWindows(windows: readonly WindowRecord[]): {
  speeds: Speeds;
  answerTokens: number | null;
} {
  let latest: WindowRecord | null = null;
  let completion = 0;
  let counted = 0;
  for (const window of windows) {
    if (window.status !== 'done' || !window.usage) continue;
    completion += window.usage.completionTokens;
    counted++;
    if (
      window.timings &&
      (latest === null || (window.finishedAt ?? 0) > (latest.finishedAt ?? 0))
    ) {
      latest = window;
    }
  }
  return {
    speeds: {
      prefill: latest?.timings?.prefillTokensPerSecond ?? null,
      decode: latest?.timings?.decodeTokensPerSecond ?? null,
    },
    answerTokens: counted === 0 ? null : completion / counted,
  };
}

/** Seconds a run would take at the given speeds; null until a decode speed is known. */
export function estimateSeconds(
  promptTokens: number | null,
  answerTokens: number,
  speeds: Speeds,
): number | null {
  if (!speeds.decode) return null;
  const prefill = promptTokens !== null && speeds.prefill ? promptTokens / speeds.prefill : 0;
  return prefill + answerTokens / speeds.decode;
}

/** Windows finished (done, failed or incomplete) out of all. */
export function progressOf(run: RunRecord, windows: readonly WindowRecord[]): number {
  const total = run.windowCount || windows.length;
  if (total === 0) return 0;
  const finished = windows.filter((window) =>
    ['done', 'failed', 'incomplete'].includes(window.status),
  ).length;
  return finished / total;
}
