import { checkedLocalTime, parseNaiveIso, type LocalTime } from '../time/localTime';

const DAY_MS = 86_400_000;

export type TimeGranularity = 'year' | 'month' | 'day' | 'datetime';

/** A stretch of time: inclusive start and end, in milliseconds (end = last millisecond). */
export interface TimeSpan {
  start: LocalTime;
  end: LocalTime;
  granularity: TimeGranularity;
}

export type TimeConstraintMode = 'on' | 'before' | 'after' | 'around' | 'between';

/**
 * A query's time constraint, read from `on/before/after/around <time>` or
 * `between <start> and <end>` as in the reference's `time_constraints.py`. `start`/`end` bound
 * what matches: `before` has only an end (the start of its time), `after` only a start (the end of
 * its time); `around` widens its time by 1 day (a date-time), 3 days (a day), 31 days (a month) or
 * 366 days (a year) on each side.
 */
export interface TimeConstraint {
  mode: TimeConstraintMode;
  start: LocalTime | null;
  end: LocalTime | null;
  granularity: TimeGranularity;
  /** The text it was read from, trimmed: `after 2023-05-01`. */
  text: string;
}

const endOfDay = (day: LocalTime) => day + DAY_MS - 1;

/** `2023`, `2023-05`, `2023-05-07` or a naive ISO date-time, as the stretch of time it names. */
export function parseTimeSpan(text: string): TimeSpan | null {
  const value = text.trim();
  let match = /^(\d{4})$/.exec(value);
  if (match) {
    const year = Number(match[1]);
    return {
      start: checkedLocalTime(year, 1, 1)!,
      end: endOfDay(checkedLocalTime(year, 12, 31)!),
      granularity: 'year',
    };
  }
  match = /^(\d{4})-(\d{2})$/.exec(value);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const start = checkedLocalTime(year, month, 1);
    if (start === null) return null;
    const next =
      month === 12 ? checkedLocalTime(year + 1, 1, 1)! : checkedLocalTime(year, month + 1, 1)!;
    return { start, end: next - 1, granularity: 'month' };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = parseNaiveIso(value);
    return day === null ? null : { start: day, end: endOfDay(day), granularity: 'day' };
  }
  const point = parseNaiveIso(value);
  return point === null ? null : { start: point, end: point, granularity: 'datetime' };
}

const aroundMargin: Record<TimeGranularity, number> = {
  datetime: 1 * DAY_MS,
  day: 3 * DAY_MS,
  month: 31 * DAY_MS,
  year: 366 * DAY_MS,
};

/** Reads a constraint; null when it is empty or not in one of the forms above. */
export function parseTimeConstraint(text: string): TimeConstraint | null {
  const value = text.trim();
  if (value === '') return null;
  const between = /^between\s+(.+?)\s+and\s+(.+)$/i.exec(value);
  if (between) {
    const left = parseTimeSpan(between[1]!);
    const right = parseTimeSpan(between[2]!);
    if (left === null || right === null || right.end < left.start) return null;
    return {
      mode: 'between',
      start: left.start,
      end: right.end,
      granularity: left.granularity,
      text: value,
    };
  }
  const prefixed = /^(on|before|after|around)\s+(.+)$/i.exec(value);
  const mode = (prefixed?.[1]?.toLowerCase() ?? 'on') as Exclude<TimeConstraintMode, 'between'>;
  const span = parseTimeSpan(prefixed ? prefixed[2]! : value);
  if (span === null) return null;
  const { granularity } = span;
  switch (mode) {
    case 'on':
      return { mode, start: span.start, end: span.end, granularity, text: value };
    case 'before':
      return { mode, start: null, end: span.start, granularity, text: value };
    case 'after':
      return { mode, start: span.end, end: null, granularity, text: value };
    case 'around': {
      const margin = aroundMargin[granularity];
      return { mode, start: span.start - margin, end: span.end + margin, granularity, text: value };
    }
  }
}

/**
 * Whether a stretch of time satisfies the constraint, as the reference decides it: `on`, `around`
 * and `between` overlap; `before` ends before the constraint's time starts; `after` starts after
 * it ends.
 */
export function spanMatches(constraint: TimeConstraint, start: LocalTime, end: LocalTime): boolean {
  switch (constraint.mode) {
    case 'before':
      return end < constraint.end!;
    case 'after':
      return start > constraint.start!;
    default:
      return start <= constraint.end! && end >= constraint.start!;
  }
}

/**
 * Whether a memory satisfies the constraint through either of its times: its own `time` (a day or
 * a range of whole days, which the reference cannot read) or the moment of its source message (the
 * reference's `source_time`).
 */
export function memoryMatchesTime(
  constraint: TimeConstraint,
  timeStart: LocalTime | null,
  timeEnd: LocalTime | null,
  messageTimestamp: LocalTime,
): boolean {
  if (
    timeStart !== null &&
    timeEnd !== null &&
    spanMatches(constraint, timeStart, endOfDay(timeEnd))
  ) {
    return true;
  }
  return spanMatches(constraint, messageTimestamp, messageTimestamp);
}

/** How a constraint reads to a person: `after 2023-05-31`, `between 2023-03-01 and 2023-05-31`. */
export function describeTimeConstraint(constraint: TimeConstraint): string {
  const day = (time: LocalTime) => new Date(time).toISOString().slice(0, 10);
  switch (constraint.mode) {
    case 'before':
      return `before ${day(constraint.end!)}`;
    case 'after':
      return `after ${day(constraint.start!)}`;
    default: {
      const from = day(constraint.start!);
      const to = day(constraint.end!);
      return from === to ? `on ${from}` : `between ${from} and ${to}`;
    }
  }
}
