import type { MemoryColumns } from './memoryColumns';
import type { FilterableMemory, MemoryColumnId, MemorySort } from './types';

/** Sorted slots: non-empty keys ascending, then the slots whose key is empty (kept last). */
interface SortOrder {
  version: number;
  slots: Int32Array;
  filled: number;
}

/** What a sort order is built from: the index's slots as they are now. */
export interface SortSource<T extends FilterableMemory> {
  /** By slot; null for a removed slot. */
  memories: readonly (T | null)[];
  /** The index's content version: an order built for another version is stale. */
  version: number;
  columns: MemoryColumns;
  /** Conversation titles: the conversation column sorts by what the user sees. */
  conversationLabels: ReadonlyMap<string, string>;
}

/**
 * One sorted order of all slots per column, built on the first sort by that column and reused
 * until the content changes, so a filter under a sort costs one pass over the order.
 */
export class SortOrders<T extends FilterableMemory> {
  private readonly orders = new Map<MemoryColumnId, SortOrder>();

  /** After any change to the memories. */
  clear(): void {
    this.orders.clear();
  }

  /** After a change that affects one column's keys only (the conversation titles). */
  forget(column: MemoryColumnId): void {
    this.orders.delete(column);
  }

  /** The `count` matched slots as rows: as matched without a sort, else in the column's order. */
  rows(source: SortSource<T>, matched: Int32Array, count: number, sort: MemorySort | null): T[] {
    const { memories } = source;
    const rows: T[] = new Array<T>(count);
    if (sort === null) {
      for (let i = 0; i < count; i++) rows[i] = memories[matched[i]!]!;
      return rows;
    }
    const isMatched = new Uint8Array(memories.length);
    for (let i = 0; i < count; i++) isMatched[matched[i]!] = 1;
    const { slots, filled } = this.order(source, sort.column);
    let next = 0;
    const take = (slot: number) => {
      if (isMatched[slot] === 1) rows[next++] = memories[slot]!;
    };
    // Empty values stay at the end in both directions.
    if (sort.desc) for (let i = filled - 1; i >= 0; i--) take(slots[i]!);
    else for (let i = 0; i < filled; i++) take(slots[i]!);
    for (let i = filled; i < slots.length; i++) take(slots[i]!);
    return rows;
  }

  private order(source: SortSource<T>, column: MemoryColumnId): SortOrder {
    const cached = this.orders.get(column);
    if (cached?.version === source.version) return cached;
    const keys = sortKeys(source, column);
    const filled: number[] = [];
    const empty: number[] = [];
    for (let slot = 0; slot < source.memories.length; slot++) {
      if (!source.memories[slot]) continue;
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
    const order = { version: source.version, slots, filled: filled.length };
    this.orders.set(column, order);
    return order;
  }
}

/** Each slot's key for a column: lower-cased text, a type name or a time (NaN when missing). */
function sortKeys<T extends FilterableMemory>(
  { memories, columns, conversationLabels }: SortSource<T>,
  column: MemoryColumnId,
): readonly (string | number)[] {
  const text = (pick: (memory: T) => string) =>
    memories.map((memory) => (memory ? pick(memory).trim().toLowerCase() : ''));
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
      return memories.map((memory) => memory?.memoryType ?? '');
    case 'conversation':
      return text(
        (memory) => conversationLabels.get(memory.conversationId) ?? memory.conversationId,
      );
    case 'time':
      return columns.memoryStart;
    case 'messageTimestamp':
      return columns.messageTime;
  }
}
