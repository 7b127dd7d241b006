import type { BuildProgress } from '../../store/modelBuild';
import { formatBytes, formatSecondsLeft } from '../../store/engine';

export const buildStepLabels: Record<BuildProgress['step'], string> = {
  pinning: 'Pinning the checkpoint’s version',
  inspecting: 'Reading the checkpoint’s headers',
  converting: 'Downloading and converting',
  finishing: 'Storing the tokenizer, library and configuration',
};

/** 0..1 of this run's download, when known. */
export function buildFraction(progress: BuildProgress): number | null {
  if (!progress.bytesToRead) return null;
  return Math.min(1, progress.bytesRead / progress.bytesToRead);
}

/** "shard 3 of 60 · 145 of 435 tensors · 1.2 GB of 8.0 GB · 45 MB/s · about 3 min left". */
export function buildProgressLine(progress: BuildProgress): string {
  const parts: string[] = [];
  if (progress.shardsTotal !== null) {
    parts.push(`${progress.shardsDone} of ${progress.shardsTotal} parts stored`);
  }
  if (progress.tensorsTotal !== null) {
    parts.push(`${progress.tensorsDone} of ${progress.tensorsTotal} tensors`);
  }
  if (progress.bytesToRead !== null) {
    parts.push(`${formatBytes(progress.bytesRead)} of ${formatBytes(progress.bytesToRead)}`);
  }
  if (progress.bytesPerSecond !== null) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  const left = formatSecondsLeft(progress.secondsLeft ?? undefined);
  if (left) parts.push(left);
  return parts.join(' · ');
}

function duration(seconds: number): string {
  return seconds < 90 * 60 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * How long the download takes at two common speeds (browsers do not tell a page the real one:
 * Chrome caps `navigator.connection.downlink` at 10 Mbit/s). The conversion keeps up with both;
 * once the build runs, the time left comes from the measured speed.
 */
export function downloadEstimate(bytes: number): string {
  const at = (mbps: number) => duration((bytes * 8) / (mbps * 1e6));
  return `about ${at(100)} at 100 Mbit/s, ${at(25)} at 25 Mbit/s`;
}
