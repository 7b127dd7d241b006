import type { KeyboardEvent } from 'react';
import { memo, useState } from 'react';

import { bucketDays } from '../../core/filter';
import type { Timeline as TimelineData, TimelineBucket } from '../../core/filter';
import { toIsoDate } from '../../core/time/localTime';
import { useFilterStore } from '../../store/view/filterStore';
import { formatCount, formatDate } from '../common/format';
import './pictures.css';

const height = 64;
const gap = 2;
const barWidth = 12;

const granularityWords = { day: 'day', week: 'week', month: 'month', year: 'year' } as const;

// One formatter for every bar: constructing an Intl.DateTimeFormat is slow (milliseconds for a
// few dozen bars), and the timeline re-renders on every filter change.
const monthFormat = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC',
  month: 'long',
  year: 'numeric',
});

function bucketLabel(bucket: TimelineBucket, granularity: TimelineData['granularity']): string {
  const { from, to } = bucketDays(bucket);
  if (granularity === 'day') return formatDate(bucket.start);
  if (granularity === 'year') return from.slice(0, 4);
  if (granularity === 'month') return monthFormat.format(bucket.start);
  return `${from} – ${to}`;
}

/**
 * Memories over time as plain SVG bars (no chart library). Choosing a bar filters the table to its
 * days; choosing it again clears the time filter. Arrow keys move between bars.
 */
export const Timeline = memo(function Timeline({ timeline }: { timeline: TimelineData }) {
  const timeFrom = useFilterStore((state) => state.filters.timeFrom);
  const timeTo = useFilterStore((state) => state.filters.timeTo);
  const basis = useFilterStore((state) => state.filters.timeBasis);
  const setFilters = useFilterStore((state) => state.setFilters);
  const [focused, setFocused] = useState(0);
  const { buckets, granularity } = timeline;
  if (buckets.length === 0) return null;

  const max = Math.max(...buckets.map((bucket) => bucket.count), 1);
  const width = buckets.length * (barWidth + gap);
  const rangeSet = timeFrom !== null || timeTo !== null;
  const inRange = (bucket: TimelineBucket) => {
    const { from, to } = bucketDays(bucket);
    return (timeFrom === null || to >= timeFrom) && (timeTo === null || from <= timeTo);
  };
  const choose = (bucket: TimelineBucket) => {
    const { from, to } = bucketDays(bucket);
    const same = timeFrom === from && timeTo === to;
    setFilters(same ? { timeFrom: null, timeTo: null } : { timeFrom: from, timeTo: to });
  };
  const current = Math.min(focused, buckets.length - 1);

  const onKeyDown = (event: KeyboardEvent<SVGGElement>, index: number) => {
    const bucket = buckets[index];
    if (!bucket) return;
    let next = index;
    if (event.key === 'ArrowRight') next = Math.min(index + 1, buckets.length - 1);
    else if (event.key === 'ArrowLeft') next = Math.max(index - 1, 0);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = buckets.length - 1;
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      choose(bucket);
      return;
    } else return;
    event.preventDefault();
    setFocused(next);
    const svg = event.currentTarget.ownerSVGElement;
    svg?.querySelector<SVGGElement>(`[data-bar="${next}"]`)?.focus();
  };

  const first = buckets[0]!;
  const last = buckets[buckets.length - 1]!;
  return (
    <figure className="picture card flush">
      <figcaption className="picture-title">
        <span>
          Memories per {granularityWords[granularity]} (
          {basis === 'memory' ? 'memory time' : 'message time'})
        </span>
        {timeline.undated > 0 && <span>{formatCount(timeline.undated)} without a date</span>}
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        height={height}
        role="group"
        aria-label="Timeline: choose a bar to show only its memories"
      >
        {buckets.map((bucket, index) => {
          const barHeight =
            bucket.count === 0 ? 0 : Math.max(2, (bucket.count / max) * (height - 2));
          const label = `${bucketLabel(bucket, granularity)}: ${formatCount(bucket.count)} memories`;
          const classes = ['bar'];
          if (rangeSet && inRange(bucket)) classes.push('selected');
          else if (rangeSet) classes.push('dimmed');
          return (
            <g
              key={bucket.start}
              data-bar={index}
              data-from={toIsoDate(bucket.start)}
              role="button"
              tabIndex={index === current ? 0 : -1}
              aria-label={label}
              aria-pressed={rangeSet && inRange(bucket)}
              onClick={() => choose(bucket)}
              onKeyDown={(event) => onKeyDown(event, index)}
              onFocus={() => setFocused(index)}
            >
              <title>{label}</title>
              <rect
                className="bar-hit"
                x={index * (barWidth + gap)}
                y={0}
                width={barWidth + gap}
                height={height}
              />
              <rect
                className={classes.join(' ')}
                x={index * (barWidth + gap)}
                y={height - barHeight}
                width={barWidth}
                height={barHeight}
                rx={1.5}
              />
            </g>
          );
        })}
      </svg>
      <div className="row muted timeline-ends">
        <span>{bucketLabel(first, granularity)}</span>
        {buckets.length > 1 && <span>{bucketLabel(last, granularity)}</span>}
      </div>
    </figure>
  );
});
