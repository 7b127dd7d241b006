import { grownArray } from '../grownArray';
import type { ConsolidationMemory } from './types';

/**
 * Every memory's keyword set (`keywordSet`: trimmed, lower-cased, each once) as numbers, all in
 * one array: memory `p`'s keywords are `ids[start[p]]` up to `ids[start[p + 1]]`. Each distinct
 * keyword is numbered once, so the join compares numbers, never strings.
 */
export interface NumberedKeywords {
  start: Int32Array;
  ids: Int32Array;
  /** Distinct keywords over all memories. */
  distinct: number;
}

const NO_KEYWORD = -1;

export function numberKeywords(
  memories: readonly Pick<ConsolidationMemory, 'keywords'>[],
): NumberedKeywords {
  const numbers = new Map<string, number>();
  // Keywords as written, each trimmed and lower-cased once however many memories repeat it.
  const numberOf = new Map<string, number>();
  let total = 0;
  for (const memory of memories) total += memory.keywords.length;
  const start = new Int32Array(memories.length + 1);
  let ids = new Int32Array(total);
  // The last memory that listed each keyword: a repeat within one memory counts once.
  let lastSeenIn: Int32Array = new Int32Array(Math.min(total, 1024)).fill(-1);
  let end = 0;
  memories.forEach((memory, position) => {
    start[position] = end;
    for (const keyword of memory.keywords) {
      let id = numberOf.get(keyword);
      if (id === undefined) {
        const key = keyword.trim().toLowerCase();
        id = key === '' ? NO_KEYWORD : numbers.get(key);
        if (id === undefined) {
          id = numbers.size;
          numbers.set(key, id);
          if (id >= lastSeenIn.length)
            lastSeenIn = grownArray(lastSeenIn, Math.max(id + 1, lastSeenIn.length * 2), -1);
        }
        numberOf.set(keyword, id);
      }
      if (id === NO_KEYWORD) continue;
      if (lastSeenIn[id] === position) continue;
      lastSeenIn[id] = position;
      ids[end++] = id;
    }
  });
  start[memories.length] = end;
  if (end < ids.length) ids = ids.slice(0, end);
  return { start, ids, distinct: numbers.size };
}
