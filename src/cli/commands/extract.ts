import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { promptFormatVersion } from '../../core/prompt';
import { localTimeFromInstant, toPythonIsoformat } from '../../core/time/localTime';
import { loadQwen3TokenCounter } from '../../core/windows';
import {
  createOpenAiEndpointEngine,
  EndpointError,
  isRetryableEndpointError,
} from '../../engine/openai';
import type { CliCommand, CliIo } from '../command';
import { CliError, exitCodes } from '../command';
import type { ExtractCommandOptions } from '../extract/extractOptions';
import { extractUsage, parseExtractArgs } from '../extract/extractOptions';
import { planExtraction } from '../extract/extractionPlan';
import type { ProgressStream } from '../extract/progressReporter';
import { ProgressReporter } from '../extract/progressReporter';
import { abortableSleep as realSleep } from '../../core/time/abortableSleep';
import type { ExtractionRunSummary } from '../extract/runExtraction';
import { emptySummary, runExtraction, windowLabel } from '../extract/runExtraction';
import { RunFiles } from '../extract/runFiles';
import type { RunIdentity } from '../extract/runIdentity';
import { refuseOutputOverInput } from '../extract/runPaths';
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
    undatedStart:
      options.undatedStart === undefined ? null : toPythonIsoformat(options.undatedStart),
    dateOrder: options.dateOrder ?? null,
  };
}

function describeOutcome(summary: ExtractionRunSummary, files: RunFiles): string[] {
  const written = existsSync(files.paths.memories)
    ? `${plural(files.completedLines('memories'), 'memory', 'memories')} in ${files.paths.memories}`
    : `no memories written (${files.paths.memories} was not created)`;
  const lines = [
    `${summary.windowsAlreadyDone + summary.windowsDone}/${summary.windowsTotal} windows done` +
      (summary.windowsAlreadyDone > 0 ? ` (${summary.windowsAlreadyDone} by an earlier run)` : '') +
      `, ${written}`,
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

/**
 * The run's verdict, as an error with its exit status, or nothing when it succeeded: interrupted,
 * no window with a usable answer (server error), or some windows failed (partial).
 */
function verdict(summary: ExtractionRunSummary, files: RunFiles): CliError | null {
  if (summary.interrupted) {
    return new CliError(
      'interrupted; run the same command with --resume to continue.',
      exitCodes.interrupted,
    );
  }
  const failed = summary.failures.length;
  const malformed = files.unusableCount;
  const first = summary.failures[0];
  const firstFailure = first ? ` (first: ${windowLabel(first.job)}: ${first.message})` : '';
  if (files.completedCount - malformed === 0) {
    const what = [
      failed > 0 ? `${plural(failed, 'window')} failed${firstFailure}` : '',
      malformed > 0 ? `${plural(malformed, 'answer was', 'answers were')} malformed` : '',
    ].filter((part) => part !== '');
    const all =
      failed + malformed === summary.windowsTotal && summary.windowsTotal > 1 ? 'all ' : '';
    const retry =
      malformed > 0
        ? `kept in ${files.paths.rejected}; check the model and --guided, then run the same command with --resume --retry-rejected to ask again.`
        : 'run the same command with --resume to retry them.';
    return new CliError(
      `no window succeeded: ${all}${what.join(' and ')}; ${retry}`,
      exitCodes.server,
    );
  }
  if (failed > 0) {
    return new CliError(
      `${failed} of ${summary.windowsTotal} windows failed${firstFailure}; run the same command with --resume to retry them.`,
      exitCodes.partial,
    );
  }
  return null;
}

/** The whole `extract` command; resolves with the run summary, throws when a window failed. */
export async function runExtractCommand(
  args: string[],
  io: CliIo,
  deps: ExtractDeps,
): Promise<ExtractionRunSummary> {
  const options = parseExtractArgs(args, deps.env);
  await refuseOutputOverInput(options.file, options.out);
  const opened = await readInputFile(options.file);
  // Undated sources are stamped from one "now" per run, kept in the ledger for --resume.
  const importTime =
    (options.resume ? await RunFiles.savedImportTime(options.out) : undefined) ??
    localTimeFromInstant(Date.now());
  const imported = importConversations(options.file, opened, options.speaker, io, {
    undatedStart: options.undatedStart,
    now: importTime,
    dateOrder: options.dateOrder,
  });
  const counter = await loadQwen3TokenCounter();
  const { jobs, skipped, warnings } = planExtraction(imported.conversations, options, counter);
  for (const warning of warnings) io.note(`warning: ${warning}`);
  for (const conversation of skipped) io.note(`skipped ${conversation.id}: no user messages`);
  if (jobs.length === 0) throw new Error(`${options.file} has no user messages to extract from.`);

  const files = await RunFiles.open(
    options.out,
    identityOf(options, opened.bytes),
    jobs.length,
    options,
    importTime,
  );
  for (const notice of files.notices) io.note(notice);
  const order = new Map(jobs.map((job, index) => [job.key, index]));
  const orderOf = (key: string) => order.get(key) ?? Number.MAX_SAFE_INTEGER;
  if (files.completedCount === jobs.length) {
    io.note(`all ${plural(jobs.length, 'window')} of this run are already done; nothing to do.`);
    await files.finalize(orderOf, true);
    const summary = nothingLeft(jobs.length);
    const failure = verdict(summary, files);
    if (failure) throw failure;
    return summary;
  }
  const engine = createOpenAiEndpointEngine({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    guidedDecoding: options.guidedDecoding,
    stream: options.stream,
    idleTimeoutMs: options.timeoutMs,
    extraBody: options.extraBody,
  });
  try {
    await engine.load(options.model, () => {}, deps.signal);
  } catch (error) {
    if (deps.signal?.aborted) {
      throw new CliError('interrupted before the run started.', exitCodes.interrupted);
    }
    // Nothing is on disk yet: the corrected command runs as if this one had never been typed.
    if (error instanceof EndpointError) {
      throw new CliError(error.message, exitCodes.server, { cause: error });
    }
    throw error;
  }
  await files.begin();
  const mode =
    options.progress === 'auto' ? (deps.progress.isTTY ? 'bar' : 'lines') : options.progress;
  io.note(
    `extracting ${plural(jobs.length - files.completedCount, 'window')} of ${plural(imported.conversations.length - skipped.length, 'conversation')} ` +
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
    requestedDelay: (error) => (error instanceof EndpointError ? error.retryAfterMs : null),
    reporter: new ProgressReporter(deps.progress, mode),
    sleep: deps.sleep ?? realSleep,
    signal: deps.signal,
  });
  const finished = summary.failures.length === 0 && !summary.interrupted;
  await files.finalize(orderOf, finished);
  for (const line of describeOutcome(summary, files)) io.note(line);
  const failure = verdict(summary, files);
  if (failure) throw failure;
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
