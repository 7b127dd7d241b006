import { localTimeFromInstant, toIsoDate, type LocalTime } from '../../core/time/localTime';

const dayMs = 86_400_000;

/** The day (00:00, local wall clock) an instant falls on: the question's reference date. */
export function dayOf(epochMs: number): LocalTime {
  const time = localTimeFromInstant(epochMs);
  return time - (((time % dayMs) + dayMs) % dayMs);
}

/** `YYYY-MM-DD` back to the day it names (as stored with a question). */
export function dayFromIso(isoDay: string): LocalTime {
  return Date.parse(`${isoDay}T00:00:00Z`);
}

export const isoDay = (day: LocalTime): string => toIsoDate(day);

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The question's date as LongMemEval writes it for the reference prompts: `2023/05/20 (Sat)`. */
export function promptDate(day: LocalTime): string {
  const date = new Date(day);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())} (${weekdays[date.getUTCDay()]})`;
}
