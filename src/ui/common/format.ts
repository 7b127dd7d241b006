import type { LocalTime } from '../../core/time/localTime';

const dateFormat = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const numberFormat = new Intl.NumberFormat();

// LocalTime is naive wall-clock time read with UTC getters, so it is formatted in UTC.
export const formatDate = (time: LocalTime): string => dateFormat.format(time);
export const formatDateTime = (time: LocalTime): string => dateTimeFormat.format(time);
export const formatCount = (count: number): string => numberFormat.format(count);

export function formatDateRange(first: LocalTime | null, last: LocalTime | null): string {
  if (first === null || last === null) return 'no dates';
  const from = formatDate(first);
  const to = formatDate(last);
  return from === to ? from : `${from} – ${to}`;
}

/** `1 memory`, `3 memories`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

export { errorText } from '../../core/errorText';
