import type { ProgressStream } from '../extract/progressReporter';

export interface ConversionCounts {
  bytesRead: number;
  /** Source bytes still to read when this run started (finished shards excluded). */
  bytesTotal: number;
  tensorsDone: number;
  tensorsTotal: number;
  shardsDone: number;
  shardsTotal: number;
  elapsedMs: number;
}

const gb = (bytes: number) => (bytes / 1e9).toFixed(2);

function timeLeft(seconds: number): string {
  if (!Number.isFinite(seconds)) return '– left';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes} min ${Math.round(seconds % 60)} s left`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** `shard 3/74 · 0.52/8.05 GB read · 40/435 tensors · 96 MB/s · 1 min 18 s left` */
export function describeConversion(counts: ConversionCounts): string {
  const seconds = counts.elapsedMs / 1000;
  const rate = seconds > 0 ? counts.bytesRead / seconds : 0;
  const left = rate > 0 ? (counts.bytesTotal - counts.bytesRead) / rate : Infinity;
  return [
    `shard ${counts.shardsDone}/${counts.shardsTotal}`,
    `${gb(counts.bytesRead)}/${gb(counts.bytesTotal)} GB read`,
    `${counts.tensorsDone}/${counts.tensorsTotal} tensors`,
    rate > 0 ? `${Math.round(rate / 1e6)} MB/s` : '– MB/s',
    timeLeft(left),
  ].join(' · ');
}

/** On a terminal, one line redrawn at most 4 times a second; otherwise one line per shard. */
export class ConversionProgress {
  private lastDraw = 0;

  constructor(private readonly stream: ProgressStream) {}

  update(counts: ConversionCounts, shardFinished: boolean): void {
    if (!this.stream.isTTY) {
      if (shardFinished) this.stream.write(`${describeConversion(counts)}\n`);
      return;
    }
    const now = Date.now();
    if (!shardFinished && now - this.lastDraw < 250) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[2K${describeConversion(counts)}`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
