import { checkedLocalTime, type LocalTime } from '../time/localTime';
import { pad, yearOf } from './calendarDays';

// How people write dates, weekdays, seasons and counts in a question, as patterns and readings
// (timeExpressions.ts combines them into rules).

export const MONTH = String.raw`(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?`;
const ORDINAL_DAY = String.raw`\d{1,2}(?:st|nd|rd|th)?`;
/** A date as people write it; longest forms first so the alternation takes the whole phrase. */
export const DATE =
  String.raw`(?:\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|${MONTH}\s+${ORDINAL_DAY}(?:,?\s+\d{4})?|` +
  String.raw`${ORDINAL_DAY}\s+(?:of\s+)?${MONTH}(?:,?\s+\d{4})?|${MONTH}(?:,?\s+\d{4})?|(?:19|20)\d{2})`;
export const WEEKDAY = String.raw`(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday)`;
export const COUNT = String.raw`(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+couple\s+of|a\s+few|couple\s+of)`;
export const SEASON = String.raw`(?:spring|summer|fall|autumn|winter)`;

const monthNumbers: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
export const weekdayNumbers: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};
const countWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  'a couple of': 2,
  'couple of': 2,
  'a few': 3,
};

/** A date as written: a year, a month of a year, or a day; the year may be missing. */
export interface WrittenDate {
  year: number | null;
  month: number | null;
  day: number | null;
}

export const monthOf = (word: string) => monthNumbers[word.slice(0, 3).toLowerCase()] ?? null;

/** A date matched by {@link DATE}, read into its parts; null when it is not one. */
export function readDate(text: string): WrittenDate | null {
  const value = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return { year: +m[1]!, month: +m[2]!, day: +m[3]! };
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m) return { year: +m[1]!, month: +m[2]!, day: null };
  m = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?$/.exec(value);
  if (m) return { year: m[3] ? +m[3] : null, month: monthOf(m[1]!), day: +m[2]! };
  m = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?(?:,? (\d{4}))?$/.exec(value);
  if (m) return { year: m[3] ? +m[3] : null, month: monthOf(m[2]!), day: +m[1]! };
  m = /^([a-z]+)\.?(?:,? (\d{4}))?$/.exec(value);
  if (m && monthOf(m[1]!) !== null)
    return { year: m[2] ? +m[2] : null, month: monthOf(m[1]!), day: null };
  m = /^(\d{4})$/.exec(value);
  if (m) return { year: +m[1]!, month: null, day: null };
  return null;
}

/** Fills a missing year: the latest such date not after the question's date, or its own year. */
export function completeDate(
  date: WrittenDate,
  askedOn: LocalTime | null,
  latestPast: boolean,
): WrittenDate | null {
  if (date.year !== null) return date;
  if (askedOn === null) return null;
  const year = yearOf(askedOn);
  if (!latestPast) return { ...date, year };
  const start = checkedLocalTime(year, date.month ?? 1, date.day ?? 1);
  return { ...date, year: start !== null && start > askedOn ? year - 1 : year };
}

/** `2023`, `2023-05`, `2023-05-07`; null for a date that does not exist (31 June). */
export function formatDate(date: WrittenDate): string | null {
  if (date.year === null) return null;
  if (date.month === null) return String(date.year);
  if (date.day === null) return `${date.year}-${pad(date.month)}`;
  return checkedLocalTime(date.year, date.month, date.day) === null
    ? null
    : `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** The day a full date names; null without a year, month or day, or for a day that does not exist. */
export function dayOf(date: WrittenDate): LocalTime | null {
  if (date.year === null || date.month === null || date.day === null) return null;
  return checkedLocalTime(date.year, date.month, date.day);
}

/** A count matched by {@link COUNT}: digits or words (`a couple of` is 2, `a few` 3). */
export function countOf(text: string): number {
  const word = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return /^\d+$/.test(word) ? Number(word) : (countWords[word] ?? 1);
}
