import type { MemoryType } from '../schema/answer';
import { typeCode } from './memoryColumns';
import type { MemoryColumns } from './memoryColumns';
import { buildTimeline, dayRange } from './timeline';
import type { MemoryFilters, Timeline } from './types';

// One bit per filter group, so a single pass can tell "matches everything except X" for facets.
const failsType = 1;
const failsTime = 2;
const failsKeywords = 4;
const failsOther = 8;

/** What one pass over the candidates finds. */
export interface FilterPassResult {
  /** The slots that pass every filter, in candidate order: the first `count` entries. */
  matched: Int32Array;
  count: number;
  /** Per type: matches of every filter except the type filter. */
  typeCounts: Record<MemoryType, number>;
  /** Matches of every filter except the time range, on the chosen time basis. */
  timeline: Timeline;
}

/**
 * Tests every filter except the text (which chose `candidates`) on the precomputed columns, in
 * one pass that also counts what each type and each time would show.
 */
export function filterPass(
  columns: MemoryColumns,
  candidates: ArrayLike<number>,
  filters: MemoryFilters,
): FilterPassResult {
  const { typeCodes, conversationCodes, edited, locations, keywordIds } = columns;
  const allowedTypes =
    filters.types.length === 0
      ? 0b111
      : filters.types.reduce((mask, type) => mask | (1 << typeCode[type]), 0);
  const conversations =
    filters.conversationIds.length === 0
      ? null
      : new Set(filters.conversationIds.map((id) => columns.conversationCode(id) ?? Number.NaN));
  const location = filters.location.trim().toLowerCase();
  const wantedKeywords = filters.keywords.map((keyword) => columns.keywordId(keyword) ?? -1);
  const timeSet = filters.timeFrom !== null || filters.timeTo !== null;
  const { start: rangeStart, end: rangeEnd } = dayRange(filters.timeFrom, filters.timeTo);
  const byMemoryTime = filters.timeBasis === 'memory';
  const startTimes = byMemoryTime ? columns.memoryStart : columns.messageTime;
  const endTimes = byMemoryTime ? columns.memoryEnd : columns.messageTime;

  const matched = new Int32Array(candidates.length);
  let count = 0;
  const typeCounts = [0, 0, 0];
  const times = new Float64Array(candidates.length);
  let timed = 0;
  let undated = 0;

  for (let i = 0; i < candidates.length; i++) {
    const slot = candidates[i]!;
    let fails = 0;
    const code = typeCodes[slot]!;
    if ((allowedTypes & (1 << code)) === 0) fails |= failsType;
    if (
      (conversations !== null && !conversations.has(conversationCodes[slot]!)) ||
      (filters.editedOnly && !edited[slot]) ||
      (location !== '' && !locations[slot]!.includes(location))
    ) {
      fails |= failsOther;
    }
    if (wantedKeywords.length > 0) {
      const own = keywordIds[slot]!;
      for (const id of wantedKeywords) {
        if (!own.includes(id)) {
          fails |= failsKeywords;
          break;
        }
      }
    }
    const time = startTimes[slot]!;
    // NaN (no memory time) compares false, so undated memories fail a set range.
    if (timeSet && !(time < rangeEnd && endTimes[slot]! >= rangeStart)) fails |= failsTime;

    if (fails === 0) matched[count++] = slot;
    if ((fails & ~failsType) === 0) typeCounts[code]!++;
    if ((fails & ~failsTime) === 0) {
      if (Number.isNaN(time)) undated++;
      else times[timed++] = time;
    }
  }

  return {
    matched,
    count,
    typeCounts: {
      fact: typeCounts[typeCode.fact]!,
      episodic: typeCounts[typeCode.episodic]!,
      profile: typeCounts[typeCode.profile]!,
    },
    timeline: buildTimeline(times, timed, undated),
  };
}
