import { describe, expect, it } from 'vitest';

import {
  localTimeFromInstant,
  localTimeFromParts,
  parseNaiveIso,
  toPythonIsoformat,
  weekdayOf,
} from '../../../../src/core/time/localTime';

describe('naive local time', () => {
  it('formats like Python isoformat: fraction digits only when non-zero', () => {
    expect(toPythonIsoformat(localTimeFromParts(2023, 4, 23, 8, 57, 1))).toBe(
      '2023-04-23T08:57:01',
    );
    expect(toPythonIsoformat(localTimeFromParts(2023, 4, 23, 8, 57, 0, 500))).toBe(
      '2023-04-23T08:57:00.500000',
    );
  });

  it('names the weekday in English', () => {
    expect(weekdayOf(localTimeFromParts(2023, 4, 23))).toBe('Sun');
    expect(weekdayOf(localTimeFromParts(2023, 5, 5, 3, 48))).toBe('Fri');
  });

  it('parses naive ISO text and rejects zones and impossible dates', () => {
    expect(parseNaiveIso('2023-04-23T08:57:00.500000')).toBe(
      localTimeFromParts(2023, 4, 23, 8, 57, 0, 500),
    );
    expect(parseNaiveIso('2023-04-24')).toBe(localTimeFromParts(2023, 4, 24));
    expect(parseNaiveIso('2023-02-31')).toBeNull();
    expect(parseNaiveIso('2023-04-23T08:57:00Z')).toBeNull();
  });

  it('reads an instant as wall-clock time in a given zone', () => {
    // 2023-07-01T12:00:00Z is 14:00 in Paris (summer time) and 08:00 in New York.
    const instant = Date.UTC(2023, 6, 1, 12);
    expect(toPythonIsoformat(localTimeFromInstant(instant, 'Europe/Paris'))).toBe(
      '2023-07-01T14:00:00',
    );
    expect(toPythonIsoformat(localTimeFromInstant(instant, 'America/New_York'))).toBe(
      '2023-07-01T08:00:00',
    );
  });
});
