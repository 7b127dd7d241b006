import { describe, expect, it } from 'vitest';

import {
  bucketDays,
  buildTimeline,
  emptyFilters,
  filtersFromParams,
  hasActiveFilters,
  sortFromParams,
  writeFilterParams,
} from '../../../../src/core/filter';
import type { MemoryFilters } from '../../../../src/core/filter';
import { parseNaiveIso } from '../../../../src/core/time/localTime';

describe('filters in the URL', () => {
  it('round-trips every filter and the sort through query parameters', () => {
    const filters: MemoryFilters = {
      types: ['fact', 'episodic'],
      timeFrom: '2023-04-01',
      timeTo: '2023-04-30',
      timeBasis: 'memory',
      location: 'Paris',
      keywords: ['Paris', 'wine & cheese'],
      conversationIds: ['chatgpt:abc'],
      editedOnly: true,
      text: 'pasta recipe',
    };
    const params = writeFilterParams(new URLSearchParams('view=memories'), filters, {
      column: 'time',
      desc: true,
    });
    const url = `?${params.toString()}`;
    const read = new URLSearchParams(url);
    expect(read.get('view')).toBe('memories');
    expect(filtersFromParams(read)).toEqual(filters);
    expect(sortFromParams(read)).toEqual({ column: 'time', desc: true });
  });

  it('writes nothing for default filters', () => {
    expect(writeFilterParams(new URLSearchParams(), emptyFilters, null).toString()).toBe('');
    expect(hasActiveFilters(emptyFilters)).toBe(false);
  });

  it('ignores malformed values from a hand-edited URL', () => {
    const params = new URLSearchParams(
      '?type=fact,bogus&from=2023-02-31&to=yesterday&sort=-nonsense&basis=x',
    );
    const filters = filtersFromParams(params);
    expect(filters.types).toEqual(['fact']);
    expect(filters.timeFrom).toBeNull();
    expect(filters.timeTo).toBeNull();
    expect(filters.timeBasis).toBe('message');
    expect(sortFromParams(params)).toBeNull();
  });
});

describe('timeline buckets', () => {
  const at = (text: string) => parseNaiveIso(text)!;

  it('uses days for a short span, with empty days kept as gaps', () => {
    const times = [at('2023-04-23T08:57:00'), at('2023-04-24T09:36:00'), at('2023-04-27T13:38:00')];
    const timeline = buildTimeline(times, times.length, 0);
    expect(timeline.granularity).toBe('day');
    expect(timeline.buckets.map((bucket) => bucket.count)).toEqual([1, 1, 0, 0, 1]);
    expect(bucketDays(timeline.buckets[4]!)).toEqual({ from: '2023-04-27', to: '2023-04-27' });
  });

  it('switches to weeks and months as the span grows; a bucket maps back to its days', () => {
    const weeks = buildTimeline([at('2023-01-04'), at('2023-06-01')], 2, 0);
    expect(weeks.granularity).toBe('week');
    // Weeks start on Monday: 2023-01-04 is a Wednesday.
    expect(bucketDays(weeks.buckets[0]!)).toEqual({ from: '2023-01-02', to: '2023-01-08' });

    const months = buildTimeline([at('2021-01-15'), at('2023-06-01')], 2, 0);
    expect(months.granularity).toBe('month');
    expect(bucketDays(months.buckets[1]!)).toEqual({ from: '2021-02-01', to: '2021-02-28' });
    expect(months.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2);
  });
});
