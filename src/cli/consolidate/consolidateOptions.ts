import { stat } from 'node:fs/promises';
import path from 'node:path';

import { UsageError } from '../command';
import { baseUrlOption, integerOption, parseCommandArgs, singleFile } from '../options';
import { MAX_PASSES } from './consolidationRun';

export const consolidateUsage = [
  'Usage: npm run cli -- consolidate <memories.jsonl> --out FILE [--base-url URL --model NAME] [options]',
  '       npm run cli -- consolidate <memories.jsonl> --dry-run [--json] [--base-url URL --model NAME]',
  '',
  'Finds duplicate and conflicting memories in a memories file (what `extract` writes, or the app',
  'exports) and consolidates them without losing any: exact and near-exact duplicates are merged by',
  'rule; with a server, an instruction model decides the other pairs (MERGE, SUPERSEDE, KEEP_BOTH;',
  "the reference's prompt, temperature 0). A merge or supersede writes a new memory (mergedFrom;",
  'decision, decidedBy, decisionReasoning: what decided it) and keeps the originals as earlier',
  'versions (supersededBy, validUntil). See docs/consolidation.md.',
  '',
  'Options:',
  '  --out FILE           write the consolidated memories here (never the input file)',
  '  --overwrite          replace an existing --out file',
  '  --dry-run            print the pairs (and, with a model, the decisions); write nothing',
  '  --json               print {"pairs": [...]} instead of text',
  `  --passes N           up to N passes (1 to ${MAX_PASSES}, default 1): each detects again among the`,
  '                       memories the last one left current, so chains resolve; stops early when',
  '                       a pass changes nothing',
  '  --no-embeddings      lexical similarity instead of all-MiniLM-L6-v2 (no model download)',
  '  --base-url URL       an OpenAI-compatible server that decides the pairs (none by default)',
  '  --model NAME         the served instruction model, e.g. Qwen/Qwen3-4B (not DimMem-4B)',
  '  --api-key-env NAME   send the key held by environment variable NAME',
  '  --retries N          retries of a decision after a server error or timeout (default 4)',
  '  --retry-delay SECONDS  first retry delay, doubled each time (default 2)',
].join('\n');

const optionsConfig = {
  out: { type: 'string' },
  overwrite: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  passes: { type: 'string' },
  'no-embeddings': { type: 'boolean' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'api-key-env': { type: 'string' },
  retries: { type: 'string' },
  'retry-delay': { type: 'string' },
} as const;

export interface ConsolidateOptions {
  file: string;
  out: string | null;
  dryRun: boolean;
  json: boolean;
  /** At most this many passes (`--passes`, 1 by default). */
  passes: number;
  embeddings: boolean;
  server: {
    baseUrl: string;
    model: string;
    apiKey: string | undefined;
    retries: number;
    retryDelayMs: number;
  } | null;
}

/** The command line, checked; `env` holds the variable `--api-key-env` names. */
export async function parseConsolidateArgs(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConsolidateOptions> {
  const { values, positionals } = parseCommandArgs('consolidate', args, optionsConfig);
  const file = singleFile('consolidate', positionals);
  const dryRun = values['dry-run'] ?? false;
  const out = values.out ?? null;
  if (out === null && !dryRun)
    throw new UsageError('consolidate: give --out FILE, or --dry-run to write nothing.');
  if (out !== null && dryRun)
    throw new UsageError('consolidate: --dry-run writes nothing; leave out --out.');
  if (out !== null) await checkOut(file, out, values.overwrite ?? false);

  const baseUrl = values['base-url'];
  const model = values.model?.trim();
  if (baseUrl === undefined && model !== undefined)
    throw new UsageError('consolidate: --model needs --base-url (the server that serves it).');
  let server: ConsolidateOptions['server'] = null;
  if (baseUrl !== undefined) {
    if (model === undefined || model === '')
      throw new UsageError('consolidate: --base-url needs --model.');
    const normalized = baseUrlOption(baseUrl);
    const keyName = values['api-key-env'];
    if (keyName !== undefined && !env[keyName])
      throw new UsageError(`--api-key-env: the environment variable ${keyName} is not set.`);
    server = {
      baseUrl: normalized,
      model,
      apiKey: keyName === undefined ? undefined : env[keyName],
      retries: integerOption('retries', values.retries, 0) ?? 4,
      retryDelayMs: (integerOption('retry-delay', values['retry-delay'], 0) ?? 2) * 1000,
    };
  }
  return {
    file,
    out,
    dryRun,
    json: values.json ?? false,
    passes: passesOption(values.passes),
    embeddings: !(values['no-embeddings'] ?? false),
    server,
  };
}

/** `--passes N`: a whole number from 1 to MAX_PASSES. */
function passesOption(value: string | undefined): number {
  const passes = integerOption('passes', value, 1) ?? 1;
  if (passes > MAX_PASSES) {
    throw new UsageError(
      `--passes must be at most ${MAX_PASSES}, got ${passes}; run consolidate again on its output for more.`,
    );
  }
  return passes;
}

/** `--out` may never be the input (by path or by link), nor replace a file without --overwrite. */
async function checkOut(file: string, out: string, overwrite: boolean): Promise<void> {
  const outStat = await stat(out).catch(() => null);
  if (path.resolve(out) === path.resolve(file))
    throw new UsageError(`--out ${out} is the input file; consolidation never replaces its input.`);
  if (outStat === null) return;
  const inStat = await stat(file).catch(() => null);
  if (inStat !== null && inStat.dev === outStat.dev && inStat.ino === outStat.ino)
    throw new UsageError(`--out ${out} is a link to the input file; choose another file.`);
  if (!overwrite) throw new UsageError(`--out ${out} exists; add --overwrite to replace it.`);
}
