import { parseArgs, type ParseArgsConfig } from 'node:util';

import { errorText } from '../core/errorText';
import { normalizeBaseUrl } from '../engine/openai';
import { UsageError } from './command';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs with the CLI's conventions: unknown options and missing values become a
 * UsageError, `--help` is always accepted, and positionals are returned alongside.
 */
export function parseCommandArgs<T extends OptionsConfig>(
  commandName: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      // parseArgs explains at length; the first sentence says what is wrong.
      const reason = error.message.split(/(?<=\.) /)[0] ?? error.message;
      throw new UsageError(`${commandName}: ${reason}`);
    }
    throw error;
  }
}

/** A whole-number option such as `--window 2`, or undefined when absent. */
export function integerOption(
  name: string,
  value: string | undefined,
  minimum: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < minimum) {
    throw new UsageError(
      `--${name} must be a whole number of at least ${minimum}, got "${value}".`,
    );
  }
  return Number(value);
}

/** `--base-url`: an OpenAI-compatible server's address, normalized (`…/v1`, no trailing slash). */
export function baseUrlOption(value: string): string {
  try {
    return normalizeBaseUrl(value);
  } catch (error) {
    throw new UsageError(`--base-url: ${errorText(error)}`);
  }
}

/** Exactly one input file. */
export function singleFile(commandName: string, positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError(`${commandName}: missing <file>.`);
  if (positionals.length > 1) {
    throw new UsageError(
      `${commandName}: expected one <file>, got ${positionals.length}: ${positionals.join(' ')}.`,
    );
  }
  return positionals[0]!;
}
