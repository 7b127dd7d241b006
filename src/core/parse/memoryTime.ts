import { parseNaiveIso, type LocalTime } from '../time/localTime';

export interface MemoryTimeRange {
  timeStart: LocalTime;
  /** Start (00:00) of the range's last day: ranges are inclusive whole days. */
  timeEnd: LocalTime;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const parseDate = (text: string): LocalTime | null =>
  DATE.test(text) ? parseNaiveIso(text) : null;

/**
 * Reads a memory's `time`: a date (`2023-04-24`) or a range (`2023-09-01/2023-11-30`).
 * Returns null for `""` (no evidence) and for anything else — the raw text is kept by the caller.
 * A date is the range of that one day. Both ends are 00:00 of their day: a memory "in" a range
 * matches a day `d` when `timeStart <= d && d <= timeEnd`.
 */
export function parseMemoryTime(time: string): MemoryTimeRange | null {
  const text = time.trim();
  if (text === '') return null;
  const slash = text.indexOf('/');
  if (slash === -1) {
    const day = parseDate(text);
    return day === null ? null : { timeStart: day, timeEnd: day };
  }
  const start = parseDate(text.slice(0, slash).trim());
  const end = parseDate(text.slice(slash + 1).trim());
  if (start === null || end === null || end < start) return null;
  return { timeStart: start, timeEnd: end };
}

/**
 * Why a memory's `time` gives no date range, or null when it does or is `""` (no evidence). The
 * memory is kept with its words either way; this is the note a person sees next to it (the run
 * service lists it in `warnings`, the app derives it from the stored memory, the CLI writes it as a
 * `time-warning`).
 */
export function memoryTimeWarning(time: string): string | null {
  const text = time.trim();
  if (text === '' || parseMemoryTime(text) !== null) return null;
  return `time ${JSON.stringify(text)} is neither a date (YYYY-MM-DD) nor a range (YYYY-MM-DD/YYYY-MM-DD): kept as text, with no date range`;
}
