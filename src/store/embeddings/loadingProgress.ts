import type { LoadingProgress } from './embeddingsStore';

/** One report of a file's download, as transformers.js gives it. */
export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
}

/**
 * Sums the model files' progress and estimates the time left from the rate since the first byte.
 * Files already in the browser's cache arrive at once and count as fast.
 */
export function loadingProgressTracker(now: () => number) {
  const files = new Map<string, { loaded: number; total: number }>();
  let firstAt: number | null = null;
  return (report: FileProgress): LoadingProgress => {
    files.set(report.file, { loaded: report.loaded, total: Math.max(report.total, report.loaded) });
    const time = now();
    firstAt ??= time;
    let loadedBytes = 0;
    let totalBytes = 0;
    for (const file of files.values()) {
      loadedBytes += file.loaded;
      totalBytes += file.total;
    }
    const seconds = (time - firstAt) / 1000;
    const rate = seconds > 0.5 ? loadedBytes / seconds : 0;
    const secondsLeft = rate > 0 ? Math.max(0, totalBytes - loadedBytes) / rate : null;
    return { loadedBytes, totalBytes, secondsLeft };
  };
}
