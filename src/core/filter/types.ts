import type { ExtractedMemory, MemoryDimensions } from '../memory';
import type { MemoryType } from '../schema/answer';
import type { LocalTime } from '../time/localTime';

/**
 * What the filter needs from a stored memory. The store's memory record has more fields; anything
 * with at least these can be indexed, so the benchmark and the UI share one implementation.
 */
export type FilterableMemory = MemoryDimensions &
  Pick<ExtractedMemory, 'messageTimestamp' | 'messageId'> & {
    readonly id: string;
    readonly conversationId: string;
    readonly edited?: boolean;
  };

/** Which time a time range filter (and the timeline) looks at. */
export type TimeBasis = 'memory' | 'message';

/** Every filter the memories view offers; all of them combine (AND). URL-serialisable. */
export interface MemoryFilters {
  /** Memory types to keep; empty keeps all. */
  types: MemoryType[];
  /** Inclusive day range, ISO dates `2023-04-24`; null leaves that side open. */
  timeFrom: string | null;
  timeTo: string | null;
  /**
   * `memory`: the memory's own time range overlaps the filter range (memories without a time are
   * left out while a range is set). `message`: the source message's timestamp lies in it.
   */
  timeBasis: TimeBasis;
  /** Case-insensitive substring of the location; empty keeps all. */
  location: string;
  /** Keywords a memory must all carry (case-insensitive). */
  keywords: string[];
  /** Conversations to keep; empty keeps all. */
  conversationIds: string[];
  editedOnly: boolean;
  /** Free text, searched with prefix and fuzzy matching. */
  text: string;
}

export const emptyFilters: MemoryFilters = Object.freeze({
  types: [],
  timeFrom: null,
  timeTo: null,
  timeBasis: 'message',
  location: '',
  keywords: [],
  conversationIds: [],
  editedOnly: false,
  text: '',
}) as MemoryFilters;

export const memoryColumnIds = [
  'content',
  'memoryType',
  'time',
  'location',
  'reason',
  'purpose',
  'keywords',
  'conversation',
  'messageTimestamp',
] as const;
export type MemoryColumnId = (typeof memoryColumnIds)[number];

export const isMemoryColumnId = (value: string): value is MemoryColumnId =>
  (memoryColumnIds as readonly string[]).includes(value);

export interface MemorySort {
  column: MemoryColumnId;
  desc: boolean;
}

export interface KeywordFacet {
  keyword: string;
  count: number;
}

export type TimelineGranularity = 'day' | 'week' | 'month' | 'year';

export interface TimelineBucket {
  /** First moment of the bucket, and first moment after it. */
  start: LocalTime;
  end: LocalTime;
  count: number;
}

export interface Timeline {
  granularity: TimelineGranularity;
  buckets: TimelineBucket[];
  /** Memories that have no time on the chosen basis (only possible for `memory`). */
  undated: number;
}

export interface MemoryQueryResult<T> {
  /** Matching memories in display order. */
  rows: T[];
  /** Memories in the index, before filtering. */
  total: number;
  /** Per type: matches of every filter except the type filter (what choosing it would show). */
  typeCounts: Record<MemoryType, number>;
  /** Keywords of the matching memories, most frequent first; selected keywords always included. */
  keywordFacets: KeywordFacet[];
  /** Matches of every filter except the time range, bucketed on the chosen time basis. */
  timeline: Timeline;
}
