import { memoryTypes } from '../schema/answer';
import type { MemoryType } from '../schema/answer';
import { TextIndex } from './textIndex';
import type { TextField } from './textIndex';
import { buildTimeline, dayRange } from './timeline';
import { hasActiveFilters } from './urlParams';
import type {
  FilterableMemory,
  KeywordFacet,
  MemoryColumnId,
  MemoryFilters,
  MemoryQueryResult,
  MemorySort,
} from './types';

// One bit per filter group, so a single pass can tell "matches everything except X" for facets.
const failsType = 1;
const failsTime = 2;
const failsKeywords = 4;
const failsOther = 8;

const typeCode = Object.fromEntries(memoryTypes.map((type, code) => [type, code])) as Record<
  MemoryType,
  number
>;

const searchFields = (memory: FilterableMemory): TextField[] => [
  { text: memory.content, boost: 2 },
  { text: memory.keywords.join(' '), boost: 2 },
  { text: memory.location, boost: 1 },
  { text: memory.reason, boost: 1 },
  { text: memory.purpose, boost: 1 },
];

/** Sorted slots: non-empty keys ascending, then the slots whose key is empty (kept last). */
interface SortOrder {
  version: number;
  slots: Int32Array;
  filled: number;
}

export interface MemoryIndexOptions {
  /** How many keyword chips a query returns at most (selected keywords come on top). */
  keywordFacetLimit?: number;
}

const normalizeKeyword = (keyword: string) => keyword.trim().toLowerCase();

/**
 * Answers every filter of the memories view in one pass over precomputed columns, without
 * rebuilding anything per query. Memories are synced in (diffed by id and object identity), so a
 * new memory arriving while the model writes costs one insert, not a rebuild. The text index is
 * built on the first text query (or {@link warmSearch}) and then kept up to date incrementally.
 *
 * Each memory lives in a slot; slots are never reused (an edited memory moves to a new slot), so
 * indexes can skip stale entries by checking that their slot is still live. Removed slots are
 * dropped by a compaction once they outnumber the live ones.
 */
export class MemoryIndex<T extends FilterableMemory> {
  private memories: (T | null)[] = [];
  private readonly slotOf = new Map<string, number>();
  /** Slots in the order of the last synced array: the display order when nothing is sorted. */
  private order = new Int32Array(0);
  private dead = 0;
  private version = 0;
  private syncMarks: number[] = [];
  private syncGeneration = 0;

  private typeCodes: number[] = [];
  private memoryStart: number[] = [];
  private memoryEnd: number[] = [];
  private messageTime: number[] = [];
  private conversationCodes: number[] = [];
  private readonly conversationCodeOf = new Map<string, number>();
  private readonly conversationIds: string[] = [];
  private conversationLabels: ReadonlyMap<string, string> = new Map();
  private locations: string[] = [];
  private edited: boolean[] = [];
  private keywordIds: number[][] = [];
  private readonly keywordIdOf = new Map<string, number>();
  private readonly keywordLabels: string[] = [];

  /**
   * The answer with no filter set, kept until the memories, their order, the labels or the sort
   * change: clearing the last filter is the costliest query (every memory matches, every keyword
   * is counted) and the most frequent one.
   */
  private unfiltered: {
    key: readonly unknown[];
    result: MemoryQueryResult<T>;
  } | null = null;

  private search: TextIndex | null = null;
  private readonly sortOrders = new Map<MemoryColumnId, SortOrder>();
  private readonly keywordFacetLimit: number;

  constructor(memories: readonly T[] = [], options: MemoryIndexOptions = {}) {
    this.keywordFacetLimit = options.keywordFacetLimit ?? 40;
    this.sync(memories);
  }

  /** Memories in the index. */
  get size(): number {
    return this.memories.length - this.dead;
  }

  /** Changes each time the indexed memories change (not when only their order does). */
  get contentVersion(): number {
    return this.version;
  }

  get(id: string): T | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : (this.memories[slot] ?? undefined);
  }

  /**
   * Makes the index hold exactly `memories`, in that order. Memories whose object is unchanged
   * are not touched; a changed object (an edit) is re-indexed; missing ids are removed.
   * Returns whether the content changed.
   */
  sync(memories: readonly T[]): boolean {
    const before = this.version;
    if (this.dead > 1000 && this.dead > this.size) this.compact();
    const generation = ++this.syncGeneration;
    const order = new Int32Array(memories.length);
    for (let i = 0; i < memories.length; i++) {
      const memory = memories[i]!;
      let slot = this.slotOf.get(memory.id);
      if (slot === undefined) slot = this.insert(memory);
      else if (this.memories[slot] !== memory) slot = this.update(slot, memory);
      this.syncMarks[slot] = generation;
      order[i] = slot;
    }
    for (let slot = 0; slot < this.memories.length; slot++) {
      if (this.memories[slot] !== null && this.syncMarks[slot] !== generation) this.remove(slot);
    }
    this.order = order;
    return this.version !== before;
  }

  /** Conversation titles, used to sort the conversation column by what the user sees. */
  setConversationLabels(labels: ReadonlyMap<string, string>): void {
    this.conversationLabels = labels;
    this.sortOrders.delete('conversation');
  }

  /** Builds the text index now (e.g. while the browser is idle) instead of on the first search. */
  warmSearch(): void {
    this.searchIndex();
  }

  query(filters: MemoryFilters, sort: MemorySort | null = null): MemoryQueryResult<T> {
    if (hasActiveFilters(filters)) return this.run(filters, sort);
    const key = [
      this.order,
      this.version,
      this.conversationLabels,
      filters.timeBasis,
      sort?.column,
      sort?.desc,
    ];
    const cached = this.unfiltered;
    if (cached && cached.key.every((part, i) => part === key[i])) return cached.result;
    const result = this.run(filters, sort);
    this.unfiltered = { key, result };
    return result;
  }

  private run(filters: MemoryFilters, sort: MemorySort | null): MemoryQueryResult<T> {
    const text = filters.text.trim();
    let candidates: ArrayLike<number> = this.order;
    if (text !== '') {
      const found = this.searchIndex().search(
        text,
        (slot) => this.memories[slot] !== null,
        this.memories.length,
        sort === null,
      );
      if (found !== null) candidates = found;
    }

    const allowedTypes =
      filters.types.length === 0
        ? 0b111
        : filters.types.reduce((mask, type) => mask | (1 << typeCode[type]), 0);
    const conversations =
      filters.conversationIds.length === 0
        ? null
        : new Set(
            filters.conversationIds.map((id) => this.conversationCodeOf.get(id) ?? Number.NaN),
          );
    const location = filters.location.trim().toLowerCase();
    const wantedKeywords = filters.keywords.map(
      (keyword) => this.keywordIdOf.get(normalizeKeyword(keyword)) ?? -1,
    );
    const timeSet = filters.timeFrom !== null || filters.timeTo !== null;
    const { start: rangeStart, end: rangeEnd } = dayRange(filters.timeFrom, filters.timeTo);
    const byMemoryTime = filters.timeBasis === 'memory';

    const matched = new Int32Array(candidates.length);
    let matchedCount = 0;
    const typeCounts = [0, 0, 0];
    const times = new Float64Array(candidates.length);
    let timed = 0;
    let undated = 0;

    for (let i = 0; i < candidates.length; i++) {
      const slot = candidates[i]!;
      let fails = 0;
      const code = this.typeCodes[slot]!;
      if ((allowedTypes & (1 << code)) === 0) fails |= failsType;
      if (
        (conversations !== null && !conversations.has(this.conversationCodes[slot]!)) ||
        (filters.editedOnly && !this.edited[slot]) ||
        (location !== '' && !this.locations[slot]!.includes(location))
      ) {
        fails |= failsOther;
      }
      if (wantedKeywords.length > 0) {
        const own = this.keywordIds[slot]!;
        for (const id of wantedKeywords) {
          if (!own.includes(id)) {
            fails |= failsKeywords;
            break;
          }
        }
      }
      const time = byMemoryTime ? this.memoryStart[slot]! : this.messageTime[slot]!;
      if (timeSet) {
        const end = byMemoryTime ? this.memoryEnd[slot]! : time;
        // NaN (no memory time) compares false, so undated memories fail a set range.
        if (!(time < rangeEnd && end >= rangeStart)) fails |= failsTime;
      }

      if (fails === 0) matched[matchedCount++] = slot;
      if ((fails & ~failsType) === 0) typeCounts[code]!++;
      if ((fails & ~failsTime) === 0) {
        if (Number.isNaN(time)) undated++;
        else times[timed++] = time;
      }
    }

    const rows = this.ordered(matched, matchedCount, sort);
    return {
      rows,
      total: this.size,
      typeCounts: {
        fact: typeCounts[typeCode.fact]!,
        episodic: typeCounts[typeCode.episodic]!,
        profile: typeCounts[typeCode.profile]!,
      },
      keywordFacets: this.keywordFacets(matched, matchedCount, filters.keywords),
      timeline: buildTimeline(times, timed, undated),
    };
  }

  /**
   * Memories related to one: those from the same source message first, then those sharing the
   * most keywords with it.
   */
  related(id: string, limit = 10): T[] {
    const slot = this.slotOf.get(id);
    const memory = slot === undefined ? null : this.memories[slot];
    if (slot === undefined || !memory) return [];
    const own = new Set(this.keywordIds[slot]);
    const scored: { slot: number; score: number }[] = [];
    for (let other = 0; other < this.memories.length; other++) {
      const candidate = this.memories[other];
      if (other === slot || !candidate) continue;
      let score = 0;
      if (
        candidate.messageId === memory.messageId &&
        candidate.conversationId === memory.conversationId
      ) {
        score += 100;
      }
      for (const keyword of this.keywordIds[other]!) if (own.has(keyword)) score++;
      if (score > 0) scored.push({ slot: other, score });
    }
    scored.sort((a, b) => b.score - a.score || a.slot - b.slot);
    return scored.slice(0, limit).map(({ slot: found }) => this.memories[found]!);
  }

  /** Distinct locations with how many memories name them, most frequent first. */
  locationCounts(limit = 50): { location: string; count: number }[] {
    const counts = new Map<string, { location: string; count: number }>();
    for (const memory of this.memories) {
      const location = memory?.location.trim();
      if (!location) continue;
      const key = location.toLowerCase();
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { location, count: 1 });
    }
    return [...counts.values()]
      .sort((a, b) => b.count - a.count || a.location.localeCompare(b.location))
      .slice(0, limit);
  }

  private insert(memory: T): number {
    const slot = this.memories.length;
    this.memories.push(memory);
    this.slotOf.set(memory.id, slot);
    this.writeColumns(slot, memory);
    this.search?.add(slot, searchFields(memory));
    this.changed();
    return slot;
  }

  /** An edit: the old slot dies (its stale index entries are skipped) and the memory moves. */
  private update(slot: number, memory: T): number {
    this.remove(slot);
    return this.insert(memory);
  }

  private remove(slot: number): void {
    const memory = this.memories[slot];
    if (!memory) return;
    this.slotOf.delete(memory.id);
    this.memories[slot] = null;
    this.keywordIds[slot] = [];
    this.dead++;
    this.changed();
  }

  private changed(): void {
    this.version++;
    this.sortOrders.clear();
  }

  /** Drops removed slots by rebuilding from the live memories (rare: after many deletions). */
  private compact(): void {
    const live = [...this.order].map((slot) => this.memories[slot]).filter((m): m is T => !!m);
    this.memories = [];
    this.slotOf.clear();
    this.syncMarks = [];
    this.typeCodes = [];
    this.memoryStart = [];
    this.memoryEnd = [];
    this.messageTime = [];
    this.conversationCodes = [];
    this.locations = [];
    this.edited = [];
    this.keywordIds = [];
    this.dead = 0;
    const hadSearch = this.search !== null;
    this.search = null;
    for (const memory of live) this.insert(memory);
    if (hadSearch) this.searchIndex();
  }

  private writeColumns(slot: number, memory: T): void {
    this.typeCodes[slot] = typeCode[memory.memoryType] ?? 0;
    this.memoryStart[slot] = memory.timeStart ?? Number.NaN;
    this.memoryEnd[slot] = memory.timeEnd ?? memory.timeStart ?? Number.NaN;
    this.messageTime[slot] = memory.messageTimestamp;
    let conversation = this.conversationCodeOf.get(memory.conversationId);
    if (conversation === undefined) {
      conversation = this.conversationIds.length;
      this.conversationIds.push(memory.conversationId);
      this.conversationCodeOf.set(memory.conversationId, conversation);
    }
    this.conversationCodes[slot] = conversation;
    this.locations[slot] = memory.location.toLowerCase();
    this.edited[slot] = memory.edited === true;
    const ids: number[] = [];
    for (const keyword of memory.keywords) {
      const key = normalizeKeyword(keyword);
      if (key === '') continue;
      let id = this.keywordIdOf.get(key);
      if (id === undefined) {
        id = this.keywordLabels.length;
        this.keywordLabels.push(keyword.trim());
        this.keywordIdOf.set(key, id);
      }
      if (!ids.includes(id)) ids.push(id);
    }
    this.keywordIds[slot] = ids;
  }

  private searchIndex(): TextIndex {
    if (this.search) return this.search;
    const search = new TextIndex();
    for (let slot = 0; slot < this.memories.length; slot++) {
      const memory = this.memories[slot];
      if (memory) search.add(slot, searchFields(memory));
    }
    this.search = search;
    return search;
  }

  private ordered(matched: Int32Array, count: number, sort: MemorySort | null): T[] {
    const rows: T[] = new Array<T>(count);
    if (sort === null) {
      for (let i = 0; i < count; i++) rows[i] = this.memories[matched[i]!]!;
      return rows;
    }
    const isMatched = new Uint8Array(this.memories.length);
    for (let i = 0; i < count; i++) isMatched[matched[i]!] = 1;
    const { slots, filled } = this.sortOrder(sort.column);
    let next = 0;
    const take = (slot: number) => {
      if (isMatched[slot] === 1) rows[next++] = this.memories[slot]!;
    };
    // Empty values stay at the end in both directions.
    if (sort.desc) for (let i = filled - 1; i >= 0; i--) take(slots[i]!);
    else for (let i = 0; i < filled; i++) take(slots[i]!);
    for (let i = filled; i < slots.length; i++) take(slots[i]!);
    return rows;
  }

  private sortOrder(column: MemoryColumnId): SortOrder {
    const cached = this.sortOrders.get(column);
    if (cached?.version === this.version) return cached;
    const keys = this.sortKeys(column);
    const filled: number[] = [];
    const empty: number[] = [];
    for (let slot = 0; slot < this.memories.length; slot++) {
      if (!this.memories[slot]) continue;
      const key = keys[slot];
      if (key === '' || (typeof key === 'number' && Number.isNaN(key))) empty.push(slot);
      else filled.push(slot);
    }
    filled.sort((a, b) => {
      const left = keys[a]!;
      const right = keys[b]!;
      return left < right ? -1 : left > right ? 1 : a - b;
    });
    const slots = Int32Array.from([...filled, ...empty]);
    const order = { version: this.version, slots, filled: filled.length };
    this.sortOrders.set(column, order);
    return order;
  }

  private sortKeys(column: MemoryColumnId): (string | number)[] {
    const text = (pick: (memory: T) => string) =>
      this.memories.map((memory) => (memory ? pick(memory).trim().toLowerCase() : ''));
    switch (column) {
      case 'content':
        return text((memory) => memory.content);
      case 'location':
        return text((memory) => memory.location);
      case 'reason':
        return text((memory) => memory.reason);
      case 'purpose':
        return text((memory) => memory.purpose);
      case 'keywords':
        return text((memory) => memory.keywords.join(', '));
      case 'memoryType':
        return this.memories.map((memory) => memory?.memoryType ?? '');
      case 'conversation':
        return text(
          (memory) => this.conversationLabels.get(memory.conversationId) ?? memory.conversationId,
        );
      case 'time':
        return this.memoryStart;
      case 'messageTimestamp':
        return this.messageTime;
    }
  }

  private keywordFacets(matched: Int32Array, count: number, selected: string[]): KeywordFacet[] {
    const counts = new Uint32Array(this.keywordLabels.length);
    const touched: number[] = [];
    for (let i = 0; i < count; i++) {
      for (const id of this.keywordIds[matched[i]!]!) {
        if (counts[id] === 0) touched.push(id);
        counts[id] = counts[id]! + 1;
      }
    }
    const selectedIds = new Set(
      selected.map((keyword) => this.keywordIdOf.get(normalizeKeyword(keyword)) ?? -1),
    );
    // Keep only keywords frequent enough to make the cut before sorting (many are singletons).
    let candidates = touched;
    if (touched.length > this.keywordFacetLimit * 4) {
      const byCount = touched.map((id) => counts[id]!).sort((a, b) => b - a);
      const threshold = byCount[this.keywordFacetLimit - 1] ?? 0;
      candidates = touched.filter((id) => counts[id]! >= threshold || selectedIds.has(id));
    }
    candidates.sort(
      (a, b) =>
        Number(selectedIds.has(b)) - Number(selectedIds.has(a)) ||
        counts[b]! - counts[a]! ||
        this.keywordLabels[a]!.localeCompare(this.keywordLabels[b]!),
    );
    const facets = candidates
      .slice(0, Math.max(this.keywordFacetLimit, selectedIds.size))
      .map((id) => ({ keyword: this.keywordLabels[id]!, count: counts[id]! }));
    // A selected keyword no memory carries still shows (with 0) so it can be removed.
    for (const keyword of selected) {
      const id = this.keywordIdOf.get(normalizeKeyword(keyword));
      if (id === undefined || counts[id] === 0) facets.unshift({ keyword, count: 0 });
    }
    return facets;
  }
}
