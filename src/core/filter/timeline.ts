import { localTimeFromParts, parseNaiveIso, toIsoDate } from '../time/localTime';
import type { LocalTime } from '../time/localTime';
import type { Timeline, TimelineBucket, TimelineGranularity } from './types';

const DAY = 86_400_000;
/** Upper bound on bars: more than this and the next coarser granularity is used. */
const maxBuckets = 60;

/** The half-open range `[start, end)` of the days `from`..`to` (ISO dates); null sides stay open. */
export function dayRange(
  from: string | null,
  to: string | null,
): { start: LocalTime; end: LocalTime } {
  const start = from === null ? null : parseNaiveIso(from);
  const last = to === null ? null : parseNaiveIso(to);
  return {
    start: start ?? Number.NEGATIVE_INFINITY,
    end: last === null ? Number.POSITIVE_INFINITY : last + DAY,
  };
}

const floorDay = (time: LocalTime) => Math.floor(time / DAY) * DAY;

function floorTo(time: LocalTime, granularity: TimelineGranularity): LocalTime {
  const day = floorDay(time);
  if (granularity === 'day') return day;
  if (granularity === 'week') {
    // Weeks start on Monday; 1970-01-01 was a Thursday.
    const weekday = (new Date(day).getUTCDay() + 6) % 7;
    return day - weekday * DAY;
  }
  const date = new Date(day);
  return granularity === 'month'
    ? localTimeFromParts(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
    : localTimeFromParts(date.getUTCFullYear(), 1, 1);
}

function next(start: LocalTime, granularity: TimelineGranularity): LocalTime {
  if (granularity === 'day') return start + DAY;
  if (granularity === 'week') return start + 7 * DAY;
  const date = new Date(start);
  return granularity === 'month'
    ? localTimeFromParts(date.getUTCFullYear(), date.getUTCMonth() + 2, 1)
    : localTimeFromParts(date.getUTCFullYear() + 1, 1, 1);
}

/** The finest granularity that shows the span in at most {@link maxBuckets} bars. */
export function granularityFor(min: LocalTime, max: LocalTime): TimelineGranularity {
  const days = (floorDay(max) - floorDay(min)) / DAY + 1;
  if (days <= maxBuckets) return 'day';
  if (days <= maxBuckets * 7) return 'week';
  const first = new Date(min);
  const last = new Date(max);
  const months =
    (last.getUTCFullYear() - first.getUTCFullYear()) * 12 +
    (last.getUTCMonth() - first.getUTCMonth()) +
    1;
  return months <= maxBuckets ? 'month' : 'year';
}

/**
 * Counts `times[0..count)` into consecutive buckets (empty ones included, so gaps show) at a
 * granularity chosen from their span.
 */
export function buildTimeline(times: ArrayLike<number>, count: number, undated: number): Timeline {
  if (count === 0) return { granularity: 'day', buckets: [], undated };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const time = times[i]!;
    if (time < min) min = time;
    if (time > max) max = time;
  }
  const granularity = granularityFor(min, max);
  const buckets: TimelineBucket[] = [];
  for (let start = floorTo(min, granularity); start <= max; start = next(start, granularity)) {
    buckets.push({ start, end: next(start, granularity), count: 0 });
  }
  const starts = buckets.map((bucket) => bucket.start);
  for (let i = 0; i < count; i++) {
    const time = times[i]!;
    // Binary search: the last bucket starting at or before `time`.
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= time) low = middle;
      else high = middle - 1;
    }
    buckets[low]!.count++;
  }
  return { granularity, buckets, undated };
}

/** The ISO day range a bucket covers, as the time filter wants it. */
export function bucketDays(bucket: TimelineBucket): { from: string; to: string } {
  return { from: toIsoDate(bucket.start), to: toIsoDate(bucket.end - DAY) };
}
