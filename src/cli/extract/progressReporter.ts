export interface ProgressCounts {
  windowsTotal: number;
  windowsDone: number;
  windowsFailed: number;
  memories: number;
  /** Answer tokens written during this run (not counting windows done by an earlier run). */
  completionTokens: number;
  elapsedMs: number;
}

/** Where progress goes: stderr, or a test's buffer. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const barWidth = 24;

export function tokensPerSecond(counts: ProgressCounts): number | null {
  return counts.completionTokens > 0 && counts.elapsedMs > 0
    ? counts.completionTokens / (counts.elapsedMs / 1000)
    : null;
}

/** `12/30 windows · 340 memories · 512 tok/s · 1 failed` */
export function describeProgress(counts: ProgressCounts): string {
  const rate = tokensPerSecond(counts);
  const parts = [
    `${counts.windowsDone}/${counts.windowsTotal} windows`,
    `${counts.memories} memories`,
    rate === null ? '– tok/s' : `${Math.round(rate)} tok/s`,
  ];
  if (counts.windowsFailed > 0) parts.push(`${counts.windowsFailed} failed`);
  return parts.join(' · ');
}

/**
 * On a terminal, one bar redrawn in place; otherwise (a log file, CI) one plain line per event,
 * so the output stays readable when captured.
 */
export class ProgressReporter {
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly mode: 'bar' | 'lines',
  ) {}

  update(counts: ProgressCounts, event?: string): void {
    if (this.mode === 'lines') {
      this.stream.write(`${event ? `${event} — ` : ''}${describeProgress(counts)}\n`);
      return;
    }
    this.drawBar(counts);
  }

  /** A message that must stay visible (retries, failures). */
  note(message: string): void {
    if (this.mode === 'bar' && this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(`${message}\n`);
    this.drawn = false;
  }

  finish(counts: ProgressCounts): void {
    if (this.mode === 'bar') {
      this.drawBar(counts);
      this.stream.write('\n');
      this.drawn = false;
    }
  }

  private drawBar(counts: ProgressCounts): void {
    const share = counts.windowsTotal === 0 ? 1 : counts.windowsDone / counts.windowsTotal;
    const filled = Math.round(share * barWidth);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]`;
    let line = `${bar} ${describeProgress(counts)}`;
    const columns = this.stream.columns ?? 0;
    if (columns > 0 && line.length >= columns) line = line.slice(0, columns - 1);
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }
}
