import { toIsoDate, type LocalTime } from '../time/localTime';

// Day arithmetic on naive local times (read through UTC fields, whole days), for resolving the
// time expressions of a question (timeExpressions.ts).

const DAY_MS = 86_400_000;

export const pad = (n: number) => String(n).padStart(2, '0');
export const addDays = (time: LocalTime, days: number) => time + days * DAY_MS;
export const weekdayOf = (time: LocalTime) => new Date(time).getUTCDay();
export const yearOf = (time: LocalTime) => new Date(time).getUTCFullYear();
export const monthNumberOf = (time: LocalTime) => new Date(time).getUTCMonth() + 1;

/** The month a day is in, as `2023-05`. */
export const monthText = (time: LocalTime) => `${yearOf(time)}-${pad(monthNumberOf(time))}`;

/** The month `months` before the one `askedOn` is in, as `2023-05`. */
export function monthsBack(askedOn: LocalTime, months: number): string {
  const index = yearOf(askedOn) * 12 + monthNumberOf(askedOn) - 1 - months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** Monday of the week a day is in (weeks run Monday to Sunday). */
export const mondayOf = (day: LocalTime) => addDays(day, -((weekdayOf(day) + 6) % 7));

/** The Saturday and Sunday of the last weekend that ended before `day`. */
export function weekendBefore(day: LocalTime): [LocalTime, LocalTime] {
  let sunday = addDays(day, -1);
  while (weekdayOf(sunday) !== 0) sunday = addDays(sunday, -1);
  return [addDays(sunday, -1), sunday];
}

/** A day range as a constraint: `on <day>` when it is one day. */
export const between = (from: LocalTime, to: LocalTime) =>
  from === to ? `on ${toIsoDate(from)}` : `between ${toIsoDate(from)} and ${toIsoDate(to)}`;

export const seasonMonths: Record<string, [number, number]> = {
  spring: [3, 5],
  summer: [6, 8],
  fall: [9, 11],
  autumn: [9, 11],
  winter: [12, 14],
};

/** A season of a year as a month range (winter runs into the next year). */
export function seasonOf(season: string, year: number): string {
  const [first, last] = seasonMonths[season.toLowerCase()]!;
  const month = (n: number) => `${year + Math.floor((n - 1) / 12)}-${pad(((n - 1) % 12) + 1)}`;
  return `between ${month(first)} and ${month(last)}`;
}
