import { secondsLeftAt } from '../progress/timeLeft';

export type BuildStep = 'pinning' | 'inspecting' | 'converting' | 'finishing';

/** What the Model view shows while a build runs. */
export interface BuildProgress {
  step: BuildStep;
  shardsDone: number;
  shardsTotal: number | null;
  tensorsDone: number;
  tensorsTotal: number | null;
  /** Checkpoint bytes downloaded since this run (start or resume) began converting. */
  bytesRead: number;
  /** Checkpoint bytes this run still had to download when it began; null until planned. */
  bytesToRead: number | null;
  bytesPerSecond: number | null;
  secondsLeft: number | null;
}

export function emptyProgress(step: BuildStep): BuildProgress {
  return {
    step,
    shardsDone: 0,
    shardsTotal: null,
    tensorsDone: 0,
    tensorsTotal: null,
    bytesRead: 0,
    bytesToRead: null,
    bytesPerSecond: null,
    secondsLeft: null,
  };
}

/**
 * The progress of one run, changed in place by the build and reported at most every 200 ms
 * (or at once with `force`), with speed and time left from when the clock last started.
 */
export function progressReporter(onProgress: (progress: BuildProgress) => void, now: () => number) {
  const progress = emptyProgress('inspecting');
  let started = now();
  let lastReport = -Infinity;
  return {
    progress,
    report(force = false): void {
      const time = now();
      if (!force && time - lastReport < 200) return;
      lastReport = time;
      const seconds = (time - started) / 1000;
      progress.bytesPerSecond = seconds >= 1 ? progress.bytesRead / seconds : null;
      const fraction = progress.bytesToRead ? progress.bytesRead / progress.bytesToRead : 0;
      progress.secondsLeft = progress.bytesToRead ? secondsLeftAt(fraction, seconds) : null;
      onProgress({ ...progress });
    },
    /** Speed and time left count from now on, over the bytes read from now on. */
    restartClock(): void {
      started = now();
      progress.bytesRead = 0;
    },
  };
}
