import { checkedLocalTime } from '../time/localTime';
import { hour24, monthNumber } from './sessionDates';
import type { DateOrder } from './types';

/**
 * Timestamps people paste, parsed with a tight set of explicit patterns:
 * - ISO: `2024-03-01 14:05`, `2024-03-01T14:05:09.5`, `2024-03-01T14:05:09, Fri` (DimMem style)
 * - year first with slashes: `2024/03/01 (Fri) 14:05` (LongMemEval style)
 * - month names: `March 1, 2024`, `Fri, Mar 1st, 2024 at 2:05 PM`, `1 March 2024 14:05`
 * - LoCoMo style: `2:05 pm on 1 March, 2024`
 * - numeric with the year last: `03/04/2024 10:00`, `03.04.24, 10:00:15` (WhatsApp style), read
 *   day first or month first as the caller says
 * - a time alone: `14:05`, `14:05:09`, `2:05 PM` (its date comes from context)
 */
export interface PastedStamp {
  date: { year: number; month: number; day: number } | null;
  time: { hour: number; minute: number; second: number; millisecond: number } | null;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?`;
const WEEKDAY = String.raw`(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?`;
const MONTH = String.raw`([A-Za-z]{3,9})\.?`;
const ORDINAL = String.raw`(?:st|nd|rd|th)?`;
const TIME_JOIN = String.raw`(?:\s*,\s*|\s+at\s+|\s+|T)`;

type PartOrder = 'ymd' | 'mdy' | 'dmy';

const DATE_PATTERNS: { order: PartOrder; regex: RegExp }[] = [
  {
    order: 'ymd',
    regex: new RegExp(
      String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:${TIME_JOIN}${TIME})?(?:,?\s*\(?${WEEKDAY}\)?)?$`,
    ),
  },
  {
    order: 'ymd',
    regex: new RegExp(
      String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})(?:\s*\(${WEEKDAY}\))?(?:${TIME_JOIN}${TIME})?$`,
    ),
  },
  {
    order: 'mdy',
    regex: new RegExp(
      String.raw`^(?:${WEEKDAY},?\s+)?${MONTH}\s+(\d{1,2})${ORDINAL},?\s+(\d{4})(?:${TIME_JOIN}${TIME})?$`,
    ),
  },
  {
    order: 'dmy',
    regex: new RegExp(
      String.raw`^(?:${WEEKDAY},?\s+)?(\d{1,2})${ORDINAL}\s+${MONTH},?\s+(\d{4})(?:${TIME_JOIN}${TIME})?$`,
    ),
  },
];

/** `03/04/2024`, `3.4.24`, `03-04-2024`, then an optional time. */
const NUMERIC_DATE = new RegExp(
  String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:${TIME_JOIN}${TIME})?$`,
);

const TIME_ONLY = new RegExp(String.raw`^${TIME}$`);
const TIME_ON_DATE = new RegExp(String.raw`^(${TIME})\s+on\s+(.+)$`, 'i');

function readTime(groups: (string | undefined)[]): PastedStamp['time'] | null | undefined {
  const [h, mi, s = '0', fraction = '', meridiem] = groups;
  if (h === undefined || mi === undefined) return undefined; // no time in the text
  const hour = hour24(Number(h), meridiem);
  if (hour === null || hour > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const millisecond = fraction === '' ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
  return { hour, minute: Number(mi), second: Number(s), millisecond };
}

function readDate(order: PartOrder, groups: (string | undefined)[]): PastedStamp['date'] {
  const [a = '', b = '', c = ''] = groups;
  const parts =
    order === 'ymd'
      ? { year: Number(a), month: Number(b), day: Number(c) }
      : order === 'mdy'
        ? { year: Number(c), month: monthNumber(a) ?? 0, day: Number(b) }
        : { year: Number(c), month: monthNumber(b) ?? 0, day: Number(a) };
  return checkedLocalTime(parts.year, parts.month, parts.day) === null ? null : parts;
}

/**
 * The two leading parts of a numeric date (`03/04/2024` → [3, 4]), or null when the text is not
 * one: what decides whether a source writes the day or the month first.
 */
export function numericDateParts(text: string): [number, number] | null {
  const match = NUMERIC_DATE.exec(text.trim());
  return match ? [Number(match[1]), Number(match[3])] : null;
}

/**
 * A pasted timestamp, or null when the text is not one of the patterns above. A numeric date is
 * read in `dateOrder`; one impossible in that order (`25/03/2024` month first) is null.
 */
export function parsePastedStamp(
  text: string,
  dateOrder: DateOrder = 'day-first',
): PastedStamp | null {
  const token = text.trim();
  const numeric = NUMERIC_DATE.exec(token);
  if (numeric) {
    const [, first = '', , second = '', year = ''] = numeric;
    const fullYear = year.length === 2 ? `20${year}` : year;
    const [day, month] = dateOrder === 'day-first' ? [first, second] : [second, first];
    const date = readDate('ymd', [fullYear, month, day]);
    const time = readTime(numeric.slice(5, 10));
    return date && time !== null ? { date, time: time ?? null } : null;
  }
  const timeOnly = TIME_ONLY.exec(token);
  if (timeOnly) {
    const time = readTime(timeOnly.slice(1));
    return time ? { date: null, time } : null;
  }
  const timeOnDate = TIME_ON_DATE.exec(token);
  if (timeOnDate) {
    const time = readTime(timeOnDate.slice(2, 7));
    const date = parsePastedStamp(timeOnDate[7]!, dateOrder);
    return time && date?.date && !date.time ? { date: date.date, time } : null;
  }
  for (const { order, regex } of DATE_PATTERNS) {
    const match = regex.exec(token);
    if (!match) continue;
    const date = readDate(order, match.slice(1, 4));
    const time = readTime(match.slice(4, 9));
    if (!date || time === null) return null;
    return { date, time: time ?? null };
  }
  return null;
}
