/**
 * A naive local date-time: the wall-clock time a person saw, with no time zone, as milliseconds
 * since 1970-01-01T00:00 *read with UTC getters*. The model was trained on naive local timestamps
 * (Python `isoformat()` of a naive datetime), so this is the one representation the app keeps:
 * arithmetic is plain addition, sorting is numeric, IndexedDB can index it.
 */
export type LocalTime = number;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function localTimeFromParts(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): LocalTime {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Python's `datetime.isoformat()` of a naive datetime: six fraction digits only when non-zero. */
export function toPythonIsoformat(time: LocalTime): string {
  const d = new Date(time);
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${pad(ms * 1000, 6)}`;
}

/** `2023-04-23` */
export function toIsoDate(time: LocalTime): string {
  return toPythonIsoformat(time).slice(0, 10);
}

/** Fixed-width ISO form with milliseconds (`2023-04-23T08:57:00.500`), for display and exports. */
export function toIsoMillis(time: LocalTime): string {
  return new Date(time).toISOString().slice(0, 23);
}

export function weekdayOf(time: LocalTime): Weekday {
  return WEEKDAYS[new Date(time).getUTCDay()] as Weekday;
}

/**
 * Parses a naive ISO date or date-time (`2023-04-23`, `2023-04-23T08:57:01`,
 * `2023-04-23 08:57:00.500000`). A zone suffix (`Z`, `+02:00`) is rejected: callers that have
 * zoned instants convert them with {@link localTimeFromInstant}. Returns null when not a valid date.
 */
export function parseNaiveIso(text: string): LocalTime | null {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/.exec(
      text.trim(),
    );
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = match;
  const ms = frac === '' ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  return checkedLocalTime(+y!, +mo!, +d!, +h, +mi, +s, ms);
}

/** {@link localTimeFromParts}, or null when the parts overflow (31 June, 25:00 …). */
export function checkedLocalTime(
  ...parts: Parameters<typeof localTimeFromParts>
): LocalTime | null {
  const [year, month, day, hour = 0, minute = 0, second = 0, millisecond = 0] = parts;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const time = localTimeFromParts(year, month, day, hour, minute, second, millisecond);
  const check = new Date(time);
  return check.getUTCDate() === day && check.getUTCMonth() === month - 1 ? time : null;
}

/**
 * One formatter per zone: building an `Intl.DateTimeFormat` costs far more than using one, and an
 * export of 30,000 messages converts every message's instant.
 */
const zoneFormats = new Map<string | undefined, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/**
 * The wall-clock time of an instant (epoch milliseconds) in a time zone, as a naive LocalTime.
 * `timeZone` defaults to the runtime's own zone (the browser's: the user's local time).
 */
export function localTimeFromInstant(epochMs: number, timeZone?: string): LocalTime {
  const format = zoneFormat(timeZone);
  const parts = Object.fromEntries(
    format.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]),
  );
  const ms = ((epochMs % 1000) + 1000) % 1000;
  return localTimeFromParts(
    Number(parts.year),
    Number(parts.month),
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
    ms,
  );
}
