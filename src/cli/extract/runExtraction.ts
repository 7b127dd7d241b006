import type { AnswerVerdict } from '../../core/parse';
import { answerVerdict, normalizeMemories, parseAnswer } from '../../core/parse';
import type { ExtractionEngine, ExtractResult } from '../../engine/types';
import type { AnswerRecord } from './answerRecord';
import { extractedMemoryLine } from './extractedMemoryLine';
import type { WindowJob } from './extractionPlan';
import type { ProgressCounts, ProgressReporter } from './progressReporter';
import type { RejectedRecord } from './rejectedRecord';
import type { RetryPolicy } from './retry';
import { withRetry } from './retry';
import type { RunFiles } from './runFiles';
import type { WindowLines } from './windowLines';
import { errorText } from '../../core/errorText';

export interface ExtractionRunInput {
  jobs: readonly WindowJob[];
  /** Loaded and ready. */
  engine: ExtractionEngine;
  /** The model name written into every record. */
  model: string;
  files: RunFiles;
  concurrency: number;
  retry: RetryPolicy;
  isRetryable(error: unknown): boolean;
  /** How long a failure asks to wait before the next try (a `Retry-After`), or null. */
  requestedDelay?(error: unknown): number | null;
  reporter: ProgressReporter;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  signal?: AbortSignal;
  now?: () => number;
}

export interface WindowFailure {
  job: WindowJob;
  message: string;
}

export interface ExtractionRunSummary {
  windowsTotal: number;
  /** Done by an earlier run (`--resume`). */
  windowsAlreadyDone: number;
  /** Done by this run. */
  windowsDone: number;
  failures: WindowFailure[];
  /** True when the run was cancelled (Ctrl-C) before every window was tried. */
  interrupted: boolean;
  /** Kept memories written by this run. */
  memories: number;
  /** Windows whose answer was malformed or cut off (their complete memories are still kept). */
  malformedAnswers: number;
  /** Memory objects that failed the schema. */
  invalidMemories: number;
  /** Valid memories normalization left out (overlap sources, out-of-range ids). */
  droppedMemories: number;
  /** Kept memories whose `time` is neither a date nor a range (listed in the rejected file too). */
  timeWarnings: number;
  completionTokens: number;
}

/**
 * One abort controller per window in flight, all cancelled by a single listener on the run's
 * signal: with `--concurrency 32`, 32 listeners (plus each request's and backoff's own) on one
 * signal would pass Node's limit of 10 and print MaxListenersExceededWarning.
 */
class WindowSignals {
  private readonly live = new Set<AbortController>();
  private readonly cancelAll = () => {
    for (const controller of this.live) controller.abort();
  };

  constructor(private readonly runSignal?: AbortSignal) {
    runSignal?.addEventListener('abort', this.cancelAll, { once: true });
  }

  open(): AbortController {
    const controller = new AbortController();
    if (this.runSignal?.aborted) controller.abort();
    this.live.add(controller);
    return controller;
  }

  close(controller: AbortController): void {
    this.live.delete(controller);
  }

  dispose(): void {
    this.runSignal?.removeEventListener('abort', this.cancelAll);
  }
}

/** Thrown inside a window when the run is cancelled, so the window is neither done nor failed. */
class Interrupted extends Error {
  override name = 'Interrupted';
}

export function windowLabel(job: WindowJob): string {
  return `${job.conversation.id} window ${job.window.index}`;
}

/** The CLI's words for an answer that was not accepted (written to the rejected file), or null. */
function answerProblem(verdict: AnswerVerdict): string | null {
  switch (verdict.kind) {
    case 'cut-off':
      return `the answer was cut off at max_tokens; its complete memories were kept${verdict.error ? ` (${verdict.error})` : ''}`;
    case 'malformed':
      return verdict.error;
    case 'unfinished':
      return 'the answer ended before its JSON closed';
    case 'accepted':
      return null;
  }
}

/** Parses and normalizes one answer with the core, into the lines each output file gets. */
export function linesForAnswer(job: WindowJob, result: ExtractResult, model: string) {
  const parsed = parseAnswer(result.text);
  const normalized = normalizeMemories(parsed.memories, job.window);
  const { conversation } = job;
  const windowIndex = job.window.index;
  const base = { conversationId: conversation.id, windowIndex };
  const rejected: RejectedRecord[] = [];
  const problem = answerProblem(answerVerdict(parsed, result.finishReason));
  if (problem !== null)
    rejected.push({ ...base, kind: 'answer', reason: problem, raw: result.text, model });
  for (const memory of parsed.rejected) {
    rejected.push({ ...base, kind: 'memory', reason: memory.reason, raw: memory.raw, model });
  }
  for (const drop of normalized.dropped) {
    rejected.push({ ...base, kind: 'dropped', reason: drop.reason, raw: drop.memory, model });
  }
  for (const warning of normalized.warnings) {
    rejected.push({
      ...base,
      kind: 'time-warning',
      reason: warning.reason,
      raw: warning.memory,
      model,
    });
  }
  const answer: AnswerRecord = {
    ...base,
    model,
    finishReason: result.finishReason,
    promptTokens: result.usage.promptTokens,
    completionTokens: result.usage.completionTokens,
    answer: result.text,
  };
  const lines: WindowLines = {
    memories: normalized.memories.map((memory, index) =>
      extractedMemoryLine(memory, conversation, windowIndex, index, model),
    ),
    rejected: rejected.map((record) => JSON.stringify(record)),
    answers: [JSON.stringify(answer)],
  };
  return {
    lines,
    malformed: problem !== null,
    invalid: parsed.rejected.length,
    dropped: normalized.dropped.length,
    timeWarnings: normalized.warnings.length,
  };
}

/** A summary before any window of this invocation has run. */
export function emptySummary(
  windowsTotal: number,
  windowsAlreadyDone: number,
): ExtractionRunSummary {
  return {
    windowsTotal,
    windowsAlreadyDone,
    windowsDone: 0,
    failures: [],
    interrupted: false,
    memories: 0,
    malformedAnswers: 0,
    invalidMemories: 0,
    droppedMemories: 0,
    timeWarnings: 0,
    completionTokens: 0,
  };
}

/**
 * Runs every window not yet complete, up to `concurrency` at once, retrying server errors and
 * timeouts with exponential backoff. Each finished window is committed to the run files at once;
 * a window that still fails is recorded and reported, and the others go on.
 */
export async function runExtraction(input: ExtractionRunInput): Promise<ExtractionRunSummary> {
  const now = input.now ?? (() => Date.now());
  const startedAt = now();
  const pending = input.jobs.filter((job) => !input.files.isCompleted(job.key));
  const summary = emptySummary(input.jobs.length, input.jobs.length - pending.length);
  const earlierMemories = input.files.completedLines('memories');
  const counts = (): ProgressCounts => ({
    windowsTotal: summary.windowsTotal,
    windowsDone: summary.windowsAlreadyDone + summary.windowsDone,
    windowsFailed: summary.failures.length,
    memories: earlierMemories + summary.memories,
    completionTokens: summary.completionTokens,
    elapsedMs: now() - startedAt,
  });
  input.reporter.update(counts());

  const signals = new WindowSignals(input.signal);
  const extractWindow = async (job: WindowJob): Promise<void> => {
    const controller = signals.open();
    const signal = controller.signal;
    const result = await withRetry(
      async () => {
        const answer = await input.engine.extract(job.prompt, {
          maxTokens: job.window.maxTokens,
          signal,
        });
        if (answer.finishReason === 'abort') throw new Interrupted('cancelled');
        return answer;
      },
      input.retry,
      {
        isRetryable: input.isRetryable,
        requestedDelay: input.requestedDelay,
        signal,
        sleep: input.sleep,
        onRetry: (error, retry, delayMs) =>
          input.reporter.note(
            `${windowLabel(job)}: ${errorText(error)} — retry ${retry}/${input.retry.retries} in ${formatSeconds(delayMs)}`,
          ),
      },
    ).finally(() => signals.close(controller));
    if (input.signal?.aborted) throw new Interrupted('cancelled');
    const outcome = linesForAnswer(job, result, input.model);
    await input.files.commitWindow(job.key, outcome.lines, outcome.malformed);
    summary.windowsDone += 1;
    summary.memories += outcome.lines.memories.length;
    summary.malformedAnswers += outcome.malformed ? 1 : 0;
    summary.invalidMemories += outcome.invalid;
    summary.droppedMemories += outcome.dropped;
    summary.timeWarnings += outcome.timeWarnings;
    summary.completionTokens += result.usage.completionTokens;
    input.reporter.update(
      counts(),
      `${windowLabel(job)}: ${outcome.lines.memories.length} memories${outcome.malformed ? ' (malformed answer kept aside)' : ''}`,
    );
  };

  let next = 0;
  const worker = async () => {
    while (!input.signal?.aborted) {
      const job = pending[next];
      if (job === undefined) return;
      next += 1;
      try {
        await extractWindow(job);
      } catch (error) {
        if (error instanceof Interrupted || input.signal?.aborted) return;
        const message = errorText(error);
        summary.failures.push({ job, message });
        await input.files.recordFailure(job.key, message);
        input.reporter.note(`${windowLabel(job)} failed: ${message}`);
        input.reporter.update(counts());
      }
    }
  };
  const workers = Math.max(1, Math.min(input.concurrency, pending.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    signals.dispose();
  }
  summary.interrupted = input.signal?.aborted === true;
  input.reporter.finish(counts());
  return summary;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
