import { filterPass } from './filterPass';
import { keywordFacets } from './keywordFacets';
import { locationCounts } from './locationCounts';
import { MemoryColumns } from './memoryColumns';
import { relatedMemories } from './relatedMemories';
import { SortOrders } from './sortOrders';
import type { SortSource } from './sortOrders';
import { TextIndex } from './textIndex';
import type { TextField } from './textIndex';
import { hasActiveFilters } from './urlParams';
import type { FilterableMemory, MemoryFilters, MemoryQueryResult, MemorySort } from './types';

const searchFields = (memory: FilterableMemory): TextField[] => [
  { text: memory.content, boost: 2 },
  { text: memory.keywords.join(' '), boost: 2 },
  { text: memory.location, boost: 1 },
  { text: memory.reason, boost: 1 },
  { text: memory.purpose, boost: 1 },
];

export interface MemoryIndexOptions {
  /** How many keyword chips a query returns at most (selected keywords come on top). */
  keywordFacetLimit?: number;
}

/**
 * Answers every filter of the memories view in one pass ({@link filterPass}) over precomputed columns
 * ({@link MemoryColumns}), without rebuilding anything per query. Memories are synced in (diffed
 * by id and object identity), so a new memory arriving while the model writes costs one insert,
 * not a rebuild. The text index is built on the first text query (or {@link warmSearch}) and then
 * kept up to date incrementally; sort orders ({@link SortOrders}) are built on the first sort by a
 * column and kept until the content changes.
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

  private readonly columns = new MemoryColumns();
  private conversationLabels: ReadonlyMap<string, string> = new Map();

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
  private readonly sortOrders = new SortOrders<T>();
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
    this.sortOrders.forget('conversation');
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

  /**
   * Memories related to one: those from the same source message first, then those sharing the
   * most keywords with it.
   */
  related(id: string, limit = 10): T[] {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return [];
    return relatedMemories(this.memories, this.columns.keywordIds, slot, limit);
  }

  /** Distinct locations with how many memories name them, most frequent first. */
  locationCounts(limit = 50): { location: string; count: number }[] {
    return locationCounts(this.memories, limit);
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

    const { matched, count, typeCounts, timeline } = filterPass(this.columns, candidates, filters);
    const source: SortSource<T> = {
      memories: this.memories,
      version: this.version,
      columns: this.columns,
      conversationLabels: this.conversationLabels,
    };
    return {
      rows: this.sortOrders.rows(source, matched, count, sort),
      total: this.size,
      typeCounts,
      keywordFacets: keywordFacets(
        this.columns,
        matched,
        count,
        filters.keywords,
        this.keywordFacetLimit,
      ),
      timeline,
    };
  }

  private insert(memory: T): number {
    const slot = this.memories.length;
    this.memories.push(memory);
    this.slotOf.set(memory.id, slot);
    this.columns.write(slot, memory);
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
    this.columns.clear(slot);
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
    this.columns.reset();
    this.dead = 0;
    const hadSearch = this.search !== null;
    this.search = null;
    for (const memory of live) this.insert(memory);
    if (hadSearch) this.searchIndex();
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
}
