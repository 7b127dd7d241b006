import { memoryTypes } from '../schema/answer';
import type { MemoryType } from '../schema/answer';
import type { FilterableMemory } from './types';

/** Memory types as small numbers, so a type filter is one bit test. */
export const typeCode = Object.fromEntries(memoryTypes.map((type, code) => [type, code])) as Record<
  MemoryType,
  number
>;

export const normalizeKeyword = (keyword: string) => keyword.trim().toLowerCase();

/**
 * What the filters test, one entry per slot, written once when a memory is indexed so a query
 * reads plain arrays instead of memory objects. Conversation ids and keywords are interned as
 * numbers; the dictionaries outlive compactions, so a keyword keeps its number.
 */
export class MemoryColumns {
  readonly typeCodes: number[] = [];
  /** The memory's own time range; NaN where it has no time. */
  readonly memoryStart: number[] = [];
  readonly memoryEnd: number[] = [];
  readonly messageTime: number[] = [];
  readonly conversationCodes: number[] = [];
  /** Lower-cased, for the substring filter. */
  readonly locations: string[] = [];
  readonly edited: boolean[] = [];
  /** Distinct keyword numbers; empty for a removed slot. */
  readonly keywordIds: number[][] = [];
  /** The first spelling seen of each keyword, by number. */
  readonly keywordLabels: string[] = [];
  private readonly keywordIdOf = new Map<string, number>();
  private readonly conversationCodeOf = new Map<string, number>();
  private readonly conversationIds: string[] = [];

  write(slot: number, memory: FilterableMemory): void {
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

  /** A removed slot: its keywords no longer count in facets or related memories. */
  clear(slot: number): void {
    this.keywordIds[slot] = [];
  }

  /** Empties every slot before a compaction writes the live memories again. */
  reset(): void {
    for (const column of [
      this.typeCodes,
      this.memoryStart,
      this.memoryEnd,
      this.messageTime,
      this.conversationCodes,
      this.locations,
      this.edited,
      this.keywordIds,
    ]) {
      column.length = 0;
    }
  }

  conversationCode(conversationId: string): number | undefined {
    return this.conversationCodeOf.get(conversationId);
  }

  /** The keyword's number, whatever its case and surrounding spaces; undefined if no memory has it. */
  keywordId(keyword: string): number | undefined {
    return this.keywordIdOf.get(normalizeKeyword(keyword));
  }
}
