import { createHash } from 'node:crypto';
import path from 'node:path';

import { promptFormatVersion } from '../../core/prompt';
import { loadQwen3TokenCounter } from '../../core/windows';
import { createOpenAiEndpointEngine, isRetryableEndpointError } from '../../engine/openai';
import type { CliCommand, CliIo } from '../command';
import type { ExtractCommandOptions } from '../extract/extractOptions';
import { extractUsage, parseExtractArgs } from '../extract/extractOptions';
import { planExtraction } from '../extract/extractionPlan';
import type { ProgressStream } from '../extract/progressReporter';
import { ProgressReporter } from '../extract/progressReporter';
import { sleep as realSleep } from '../extract/retry';
import type { ExtractionRunSummary } from '../extract/runExtraction';
import { emptySummary, runExtraction, windowLabel } from '../extract/runExtraction';
import type { RunIdentity } from '../extract/runFiles';
import { RunFiles } from '../extract/runFiles';
import { importConversations, readInputFile } from '../readConversations';

/** What the command needs from its process; tests pass their own. */
export interface ExtractDeps {
  progress: ProgressStream;
  env: Record<string, string | undefined>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Cancels the run (Ctrl-C): windows in flight are dropped, finished ones stay. */
  signal?: AbortSignal;
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

function identityOf(options: ExtractCommandOptions, bytes: Uint8Array): RunIdentity {
  return {
    input: {
      name: path.basename(options.file),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
    model: options.model,
    speaker: options.speaker ?? null,
    windows: { size: options.windows.size, overlap: options.windows.overlap },
    budget: {
      contextSize: options.budget.contextSize,
      answerReserve: options.budget.answerReserve,
    },
    variant: options.variant,
    promptFormat: promptFormatVersion,
  };
}

function describeOutcome(summary: ExtractionRunSummary, files: RunFiles): string[] {
  const lines = [
    `${summary.windowsAlreadyDone + summary.windowsDone}/${summary.windowsTotal} windows done` +
      (summary.windowsAlreadyDone > 0 ? ` (${summary.windowsAlreadyDone} by an earlier run)` : '') +
      `, ${plural(files.completedLines('memories'), 'memory', 'memories')} in ${files.paths.memories}`,
  ];
  const asides = [
    summary.malformedAnswers > 0 ? plural(summary.malformedAnswers, 'malformed answer') : '',
    summary.invalidMemories > 0
      ? plural(summary.invalidMemories, 'invalid memory', 'invalid memories')
      : '',
    summary.droppedMemories > 0
      ? `${summary.droppedMemories} dropped (overlap or out-of-range sources)`
      : '',
  ].filter((text) => text !== '');
  if (asides.length > 0) lines.push(`kept aside in ${files.paths.rejected}: ${asides.join(', ')}`);
  if (summary.timeWarnings > 0) {
    lines.push(
      `${plural(summary.timeWarnings, 'memory has', 'memories have')} a time that is not a date ` +
        `(kept as text; listed in ${files.paths.rejected} as time-warning)`,
    );
  }
  return lines;
}

function nothingLeft(windows: number): ExtractionRunSummary {
  return emptySummary(windows, windows);
}

/** The whole `extract` command; resolves with the run summary, throws when a window failed. */
export async function runExtractCommand(
  args: string[],
  io: CliIo,
  deps: ExtractDeps,
): Promise<ExtractionRunSummary> {
  const options = parseExtractArgs(args, deps.env);
  const bytes = await readInputFile(options.file);
  const imported = importConversations(options.file, bytes, options.speaker, io);
  const counter = await loadQwen3TokenCounter();
  const { jobs, skipped } = planExtraction(imported.conversations, options, counter);
  for (const conversation of skipped) io.note(`skipped ${conversation.id}: no user messages`);
  if (jobs.length === 0) throw new Error(`${options.file} has no user messages to extract from.`);

  const files = await RunFiles.open(options.out, identityOf(options, bytes), jobs.length, options);
  for (const notice of files.notices) io.note(notice);
  const order = new Map(jobs.map((job, index) => [job.key, index]));
  const orderOf = (key: string) => order.get(key) ?? Number.MAX_SAFE_INTEGER;
  if (files.completedCount === jobs.length) {
    io.note(`all ${plural(jobs.length, 'window')} of this run are already done; nothing to do.`);
    await files.finalize(orderOf, true);
    return nothingLeft(jobs.length);
  }
  const engine = createOpenAiEndpointEngine({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    guidedDecoding: options.guidedDecoding,
    stream: options.stream,
    idleTimeoutMs: options.timeoutMs,
    extraBody: options.extraBody,
  });
  await engine.load(options.model, () => {}, deps.signal);
  const mode =
    options.progress === 'auto' ? (deps.progress.isTTY ? 'bar' : 'lines') : options.progress;
  io.note(
    `extracting ${plural(jobs.length, 'window')} of ${plural(imported.conversations.length - skipped.length, 'conversation')} ` +
      `with ${options.model} at ${engine.baseUrl}, ${options.concurrency} at a time`,
  );
  const summary = await runExtraction({
    jobs,
    engine,
    model: options.model,
    files,
    concurrency: options.concurrency,
    retry: { retries: options.retries, baseDelayMs: options.retryDelayMs, maxDelayMs: 60_000 },
    isRetryable: isRetryableEndpointError,
    reporter: new ProgressReporter(deps.progress, mode),
    sleep: deps.sleep ?? realSleep,
    signal: deps.signal,
  });
  const finished = summary.failures.length === 0 && !summary.interrupted;
  await files.finalize(orderOf, finished);
  for (const line of describeOutcome(summary, files)) io.note(line);
  if (summary.interrupted) {
    throw new Error(`interrupted; run the same command with --resume to continue.`);
  }
  if (summary.failures.length > 0) {
    const first = summary.failures[0]!;
    throw new Error(
      `${summary.failures.length} of ${summary.windowsTotal} windows failed (first: ${windowLabel(first.job)}: ${first.message}); run the same command with --resume to retry them.`,
    );
  }
  return summary;
}

export const extractCommand: CliCommand = {
  name: 'extract',
  summary:
    'extract memories with DimMem-4B on an OpenAI-compatible server (vLLM, llama.cpp, Ollama)',
  usage: extractUsage,
  async run(args, io) {
    const controller = new AbortController();
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    process.once('SIGTERM', cancel);
    try {
      await runExtractCommand(args, io, {
        progress: process.stderr,
        env: process.env,
        signal: controller.signal,
      });
    } finally {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
    }
  },
};
