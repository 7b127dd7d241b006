import type { InitProgressReport } from '@mlc-ai/web-llm';

import type { LoadProgress } from '../types';
import { secondsLeftAt } from '../progress/timeLeft';

/**
 * Maps WebLLM's load reports (a 0..1 `progress`, seconds elapsed, a sentence) to our phases
 * without reading the sentence: WebLLM first reads the weights from its cache onto the GPU
 * (progress rising to 1), then compiles the GPU shaders (progress rising again from 0).
 * `cachedBytes` is the weights' size, known from the installer.
 */
export function createInitProgressMapper(cachedBytes: number | null) {
  let phase: 'cache' | 'gpu-init' = 'cache';
  let reachedEnd = false;
  let phaseStartSeconds = 0;

  return (report: InitProgressReport): LoadProgress => {
    const fraction = Math.min(1, Math.max(0, report.progress));
    if (phase === 'cache' && reachedEnd && fraction < 1) {
      phase = 'gpu-init';
      phaseStartSeconds = report.timeElapsed;
    }
    if (fraction >= 1) reachedEnd = true;
    const elapsed = Math.max(0, report.timeElapsed - phaseStartSeconds);
    const progress: LoadProgress = { phase, fraction, text: report.text };
    const secondsLeft = secondsLeftAt(fraction, elapsed);
    if (secondsLeft !== null) progress.secondsLeft = secondsLeft;
    if (phase === 'cache' && cachedBytes !== null) {
      progress.totalBytes = cachedBytes;
      progress.loadedBytes = Math.round(cachedBytes * fraction);
    }
    return progress;
  };
}
