import { formatBytes, formatSecondsLeft } from '../../store/engine';
import type { LoadProgress } from '../../store/engine';

export const phaseLabels: Record<LoadProgress['phase'], string> = {
  check: 'Checking',
  download: 'Downloading',
  cache: 'Loading from this browser’s storage',
  'gpu-init': 'Preparing the GPU',
  ready: 'Ready',
};

/** "1.2 GB of 2.3 GB · 52% · about 3 min left" with whatever is known. */
export function progressLine(progress: LoadProgress): string {
  const parts: string[] = [];
  if (progress.loadedBytes !== undefined && progress.totalBytes !== undefined) {
    parts.push(`${formatBytes(progress.loadedBytes)} of ${formatBytes(progress.totalBytes)}`);
  }
  if (progress.fraction !== null) parts.push(`${Math.floor(progress.fraction * 100)}%`);
  const left = formatSecondsLeft(progress.secondsLeft);
  if (left) parts.push(left);
  return parts.join(' · ');
}
