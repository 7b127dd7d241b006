import {
  defaultTokenBudget,
  defaultWindowSettings,
  validateWindowSettings,
  type TokenBudget,
  type WindowSettings,
} from '../core/windows';
import type { DateOrder } from '../core/import';
import type { LocalTime } from '../core/time/localTime';
import { parseNaiveIso } from '../core/time/localTime';
import { UsageError } from './command';
import { integerOption } from './options';
import { errorText } from '../core/errorText';

/**
 * The options of every command that plans windows (`inspect`, `prompts`, `extract`), for
 * `parseCommandArgs`: all of them plan exactly as the app does, so they take the same settings.
 */
export const windowOptionsConfig = {
  'window-size': { type: 'string' },
  overlap: { type: 'string' },
  'context-size': { type: 'string' },
  'answer-reserve': { type: 'string' },
  // Not a window setting, but it changes the prompts the same way: every planning command takes it.
  'undated-start': { type: 'string' },
  'date-order': { type: 'string' },
} as const;

/** Usage lines for {@link windowOptionsConfig}, descriptions starting at `column`. */
export function windowOptionsUsage(column: number): string[] {
  const line = (flag: string, text: string) =>
    flag.length < column - 3
      ? `  ${flag.padEnd(column - 2)}${text}`
      : `  ${flag}\n${' '.repeat(column)}${text}`;
  return [
    line('--window-size N', `user messages per window (default ${defaultWindowSettings.size})`),
    line(
      '--overlap N',
      `messages repeated from the previous window (default ${defaultWindowSettings.overlap}, less than the size)`,
    ),
    line(
      '--context-size N',
      `model context in tokens; windows shrink to fit (default ${defaultTokenBudget.contextSize})`,
    ),
    line(
      '--answer-reserve N',
      `tokens kept free for the answer (default ${defaultTokenBudget.answerReserve})`,
    ),
    line(
      '--undated-start DATE',
      'where sources without times start (ShareGPT, OpenAI messages, plain',
    ),
    line('', 'transcripts), e.g. 2024-03-01 or 2024-03-01T09:30 (default: when the command runs)'),
    line(
      '--date-order ORDER',
      "day-first or month-first: how transcripts' dates such as 03/04/2024 are read",
    ),
    line('', '(default: day first, unless a date such as 03/25/2024 reads only month first)'),
  ];
}

const dateOrders: readonly DateOrder[] = ['day-first', 'month-first'];

/** `--date-order`: how a transcript's numeric dates are read, or undefined to let the file tell. */
export function dateOrderFrom(values: { 'date-order'?: string }): DateOrder | undefined {
  const text = values['date-order'];
  if (text === undefined) return undefined;
  if (!dateOrders.includes(text as DateOrder)) {
    throw new UsageError(`--date-order must be day-first or month-first, got "${text}".`);
  }
  return text as DateOrder;
}

/**
 * `--undated-start`: the naive local time that undated sources are stamped from (user messages
 * half a second apart), or undefined when absent.
 */
export function undatedStartFrom(values: { 'undated-start'?: string }): LocalTime | undefined {
  const text = values['undated-start'];
  if (text === undefined) return undefined;
  const time = parseNaiveIso(text);
  if (time === null) {
    throw new UsageError(
      `--undated-start must be a date such as 2024-03-01 or 2024-03-01T09:30, got "${text}".`,
    );
  }
  return time;
}

/**
 * `--window-size` and `--overlap`. Without `--overlap`, a small window keeps the default overlap
 * only as far as it can (`--window-size 2` overlaps by 1), so a size alone is always valid.
 */
export function windowSettingsFrom(values: {
  'window-size'?: string;
  overlap?: string;
}): WindowSettings {
  const size = integerOption('window-size', values['window-size'], 1) ?? defaultWindowSettings.size;
  const overlap =
    integerOption('overlap', values.overlap, 0) ??
    Math.min(defaultWindowSettings.overlap, size - 1);
  const settings = { size, overlap };
  try {
    validateWindowSettings(settings);
  } catch (error) {
    throw new UsageError(errorText(error));
  }
  return settings;
}

/** `--context-size` and `--answer-reserve`: the token budget each window's prompt must fit. */
export function tokenBudgetFrom(values: {
  'context-size'?: string;
  'answer-reserve'?: string;
}): TokenBudget {
  const contextSize =
    integerOption('context-size', values['context-size'], 1) ?? defaultTokenBudget.contextSize;
  const answerReserve =
    integerOption('answer-reserve', values['answer-reserve'], 0) ??
    defaultTokenBudget.answerReserve;
  if (answerReserve >= contextSize) {
    throw new UsageError(
      `--answer-reserve ${answerReserve} leaves no room for a prompt in a ${contextSize}-token context; it must be less than --context-size.`,
    );
  }
  return { contextSize, answerReserve };
}
