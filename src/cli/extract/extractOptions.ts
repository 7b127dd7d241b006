import type { DateOrder } from '../../core/import';
import type { PromptVariant } from '../../core/prompt';
import { promptVariants } from '../../core/prompt';
import type { LocalTime } from '../../core/time/localTime';
import type { TokenBudget, WindowSettings } from '../../core/windows';
import type { GuidedDecodingMode } from '../../engine/openai';
import { guidedDecodingModes, MAX_TIMER_MS } from '../../engine/openai';
import { UsageError } from '../command';
import { baseUrlOption, integerOption, parseCommandArgs, singleFile } from '../options';
import {
  tokenBudgetFrom,
  dateOrderFrom,
  undatedStartFrom,
  windowOptionsConfig,
  windowOptionsUsage,
  windowSettingsFrom,
} from '../windowOptions';

export interface ExtractCommandOptions {
  file: string;
  baseUrl: string;
  model: string;
  /** The key itself, read from the variable `--api-key-env` names (never from the command line). */
  apiKey: string | undefined;
  concurrency: number;
  speaker: string | undefined;
  out: string;
  resume: boolean;
  overwrite: boolean;
  /** With `resume`: windows whose answer was malformed are asked again. */
  retryRejected: boolean;
  /** `--undated-start`: where the times of an undated source start. */
  undatedStart: LocalTime | undefined;
  /** `--date-order`: how a transcript's numeric dates are read (undefined: the file tells). */
  dateOrder: DateOrder | undefined;
  guidedDecoding: GuidedDecodingMode;
  stream: boolean;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  windows: WindowSettings;
  budget: TokenBudget;
  variant: PromptVariant;
  extraBody: Record<string, unknown> | undefined;
  progress: 'auto' | 'bar' | 'lines';
}

export const extractUsage = [
  'Usage: extract <file> --base-url URL --model NAME --out memories.jsonl [options]',
  '',
  'Runs DimMem-4B over every window of every conversation in <file> on an OpenAI-compatible',
  'server (vLLM, llama.cpp, Ollama) and appends the memories to --out, one JSON object a line.',
  'Same import, windows, prompt and parsing as the app. See docs/servers.md.',
  '',
  '  --base-url URL         the server, e.g. http://127.0.0.1:8000/v1 (a bare origin gets /v1)',
  '  --model NAME           the served model name, e.g. wtqiu/DimMem-4B-Longmemeval',
  '  --out FILE             memories JSONL; beside it FILE.progress.json, FILE.rejected.jsonl,',
  '                         FILE.answers.jsonl (none of them may be the input file)',
  '  --resume               continue an interrupted run (finished windows are kept, never repeated)',
  '  --overwrite            start over, deleting the files of an earlier run',
  '  --retry-rejected       with --resume: ask again for windows whose answer was malformed',
  '  --api-key-env VAR      send the key held in environment variable VAR as a bearer token',
  '  --concurrency N        windows in flight at once (default 4)',
  '  --speaker NAME         multi-speaker sources: whose lines are "the user"; "both" for each',
  '  --guided MODE          json-schema (default) | structured-outputs (vLLM ≥ 0.12) |',
  '                         guided-json (vLLM < 0.12) | json-object (older llama.cpp) | none',
  '  --no-stream            ask for whole answers instead of server-sent events',
  '  --timeout SECONDS      give up on a request when the server sends nothing this long (300;',
  '                         keep-alive comments do not count; at most 2147483)',
  '  --retries N            retries of a window after a server error or timeout (default 4)',
  '  --retry-delay SECONDS  first retry delay, doubled each time (default 2); a longer',
  '                         Retry-After from the server is honoured (up to 300 s)',
  ...windowOptionsUsage(25),
  '  --prompt-variant V     card (default) | reference',
  '  --extra-body JSON      fields merged into every request, e.g. \'{"reasoning_effort":"none"}\'',
  '  --progress MODE        auto (default: a bar on a terminal, lines otherwise) | bar | lines',
].join('\n');

/** The longest `--timeout` a timer can keep (2147483 s, 24.8 days). */
export const MAX_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/** A number of seconds (fractions allowed), in milliseconds; `fallbackSeconds` when absent. */
function secondsOption(name: string, value: string | undefined, fallbackSeconds: number): number {
  const seconds = value === undefined ? fallbackSeconds : Number(value);
  if (value !== undefined && (!Number.isFinite(seconds) || seconds < 0 || value.trim() === '')) {
    throw new UsageError(`--${name} must be a number of seconds, got "${value}".`);
  }
  if (seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `--${name} can be at most ${MAX_TIMEOUT_SECONDS} seconds (24.8 days, the longest a timer waits), got "${value}".`,
    );
  }
  return Math.round(seconds * 1000);
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}".`);
  }
  return value as T;
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '')
    throw new UsageError(`extract: missing --${name}.`);
  return value;
}

function extraBodyFrom(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--extra-body must be a JSON object, got "${text}".`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--extra-body must be a JSON object, got "${text}".`);
  }
  return value as Record<string, unknown>;
}

export function parseExtractArgs(
  args: string[],
  env: Record<string, string | undefined>,
): ExtractCommandOptions {
  const { values, positionals } = parseCommandArgs('extract', args, {
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    concurrency: { type: 'string' },
    speaker: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean' },
    overwrite: { type: 'boolean' },
    'retry-rejected': { type: 'boolean' },
    guided: { type: 'string' },
    'no-stream': { type: 'boolean' },
    timeout: { type: 'string' },
    retries: { type: 'string' },
    'retry-delay': { type: 'string' },
    ...windowOptionsConfig,
    'prompt-variant': { type: 'string' },
    'extra-body': { type: 'string' },
    progress: { type: 'string' },
  });
  const file = singleFile('extract', positionals);
  const baseUrlText = required('base-url', values['base-url']);
  const baseUrl = baseUrlOption(baseUrlText);
  if (values.resume && values.overwrite) {
    throw new UsageError('--resume continues a run and --overwrite starts over: choose one.');
  }
  if (values['retry-rejected'] && !values.resume) {
    throw new UsageError(
      '--retry-rejected retries windows of an earlier run: use it with --resume.',
    );
  }
  const keyVariable = values['api-key-env'];
  const apiKey = keyVariable === undefined ? undefined : env[keyVariable];
  if (keyVariable !== undefined && !apiKey) {
    throw new UsageError(`--api-key-env ${keyVariable}: that environment variable is not set.`);
  }
  const timeoutMs = secondsOption('timeout', values.timeout, 300);
  if (timeoutMs <= 0) throw new UsageError('--timeout must be more than 0 seconds.');
  return {
    file,
    baseUrl,
    model: required('model', values.model),
    apiKey,
    concurrency: integerOption('concurrency', values.concurrency, 1) ?? 4,
    speaker: values.speaker,
    out: required('out', values.out),
    resume: values.resume === true,
    overwrite: values.overwrite === true,
    retryRejected: values['retry-rejected'] === true,
    undatedStart: undatedStartFrom(values),
    dateOrder: dateOrderFrom(values),
    guidedDecoding: oneOf('guided', values.guided, guidedDecodingModes, 'json-schema'),
    stream: values['no-stream'] !== true,
    timeoutMs,
    retries: integerOption('retries', values.retries, 0) ?? 4,
    retryDelayMs: secondsOption('retry-delay', values['retry-delay'], 2),
    windows: windowSettingsFrom(values),
    budget: tokenBudgetFrom(values),
    variant: oneOf('prompt-variant', values['prompt-variant'], promptVariants, 'card'),
    extraBody: extraBodyFrom(values['extra-body']),
    progress: oneOf('progress', values.progress, ['auto', 'bar', 'lines'] as const, 'auto'),
  };
}
