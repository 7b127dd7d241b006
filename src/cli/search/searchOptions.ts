import type { ParseArgsConfig } from 'node:util';

import { fusionModes, type FusionMode } from '../../core/search';
import {
  checkedLocalTime,
  localTimeFromInstant,
  parseNaiveIso,
  type LocalTime,
} from '../../core/time/localTime';
import { UsageError } from '../command';
import { integerOption } from '../options';

/** Options `search` and `ask` share. */
export const searchOptionsConfig = {
  'asked-on': { type: 'string' },
  json: { type: 'boolean' },
  'no-embeddings': { type: 'boolean' },
  fusion: { type: 'string' },
  top: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const searchOptionsUsage = [
  '  --asked-on DATE     the day the question is asked (YYYY-MM-DD; default today): "last week" counts from it',
  '  --json              print JSON (see docs/search.md) instead of text',
  '  --no-embeddings     rank without the meaning route (no model download, no vectors)',
  "  --fusion MODE       concat (the reference: each route's top 15 in turn, duplicates removed; default)",
  '                      or rrf (reciprocal rank fusion)',
  '  --top N             keep the N best memories (default: all the fusion gives, up to 45)',
];

export interface SearchSettings {
  question: string;
  askedOn: LocalTime;
  /** Whether `--asked-on` was given (else it is today). */
  askedOnGiven: boolean;
  json: boolean;
  embeddings: boolean;
  fusion: FusionMode;
  top: number | null;
}

/** `<memories.jsonl> "question"` and the shared options, checked. `now` gives "today". */
export function searchSettingsFrom(
  command: string,
  positionals: string[],
  values: {
    'asked-on'?: string;
    json?: boolean;
    'no-embeddings'?: boolean;
    fusion?: string;
    top?: string;
  },
  now: () => number = Date.now,
): { file: string; settings: SearchSettings } {
  if (positionals.length === 0)
    throw new UsageError(`${command}: missing <memories.jsonl> and "question".`);
  if (positionals.length === 1)
    throw new UsageError(`${command}: missing the "question" after ${positionals[0]}.`);
  if (positionals.length > 2) {
    throw new UsageError(
      `${command}: expected <memories.jsonl> "question", got ${positionals.length} arguments (quote the question).`,
    );
  }
  const [file, question] = positionals as [string, string];
  if (question.trim() === '') throw new UsageError(`${command}: the question is empty.`);
  const fusion = values.fusion ?? 'concat';
  if (!(fusionModes as readonly string[]).includes(fusion)) {
    throw new UsageError(`--fusion must be concat or rrf, got "${fusion}".`);
  }
  let askedOn: LocalTime;
  const given = values['asked-on'];
  if (given !== undefined) {
    const time = parseNaiveIso(given);
    if (time === null)
      throw new UsageError(`--asked-on must be a date such as 2023-05-20, got "${given}".`);
    askedOn = time - (time % 86_400_000);
  } else {
    const today = new Date(localTimeFromInstant(now()));
    askedOn = checkedLocalTime(
      today.getUTCFullYear(),
      today.getUTCMonth() + 1,
      today.getUTCDate(),
    )!;
  }
  return {
    file,
    settings: {
      question: question.trim(),
      askedOn,
      askedOnGiven: given !== undefined,
      json: values.json ?? false,
      embeddings: !(values['no-embeddings'] ?? false),
      fusion: fusion as FusionMode,
      top: integerOption('top', values.top, 1) ?? null,
    },
  };
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The question's date as LongMemEval writes it for the reference prompts: `2023/05/20 (Sat)`. */
export function questionDateText(askedOn: LocalTime): string {
  const day = new Date(askedOn);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())} (${weekdays[day.getUTCDay()]})`;
}
