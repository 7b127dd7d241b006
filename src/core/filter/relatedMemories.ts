import type { FilterableMemory } from './types';

/**
 * Memories related to the one in `slot`: those from the same source message first, then those
 * sharing the most keywords with it; ties in slot order. `memories` and `keywordIds` are by slot
 * (null and no keywords for a removed slot).
 */
export function relatedMemories<T extends FilterableMemory>(
  memories: readonly (T | null)[],
  keywordIds: readonly (readonly number[])[],
  slot: number,
  limit: number,
): T[] {
  const memory = memories[slot];
  if (!memory) return [];
  const own = new Set(keywordIds[slot]);
  const scored: { slot: number; score: number }[] = [];
  for (let other = 0; other < memories.length; other++) {
    const candidate = memories[other];
    if (other === slot || !candidate) continue;
    let score = 0;
    if (
      candidate.messageId === memory.messageId &&
      candidate.conversationId === memory.conversationId
    ) {
      score += 100;
    }
    for (const keyword of keywordIds[other]!) if (own.has(keyword)) score++;
    if (score > 0) scored.push({ slot: other, score });
  }
  scored.sort((a, b) => b.score - a.score || a.slot - b.slot);
  return scored.slice(0, limit).map(({ slot: found }) => memories[found]!);
}
