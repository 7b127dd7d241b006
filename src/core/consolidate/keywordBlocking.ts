import type { JoinCounts, Partners } from './keywordJoin';
import {
  CANDIDATES_PER_MEMORY,
  KeywordJoin,
  SLOT,
  SLOT_BOTH,
  SLOT_EITHER,
  SLOT_RANK,
} from './keywordJoin';
import type { NumberedKeywords } from './keywordNumbers';
import { numberKeywords } from './keywordNumbers';
import type { MemoryColumns } from './memoryColumns';
import { memoryColumns, sortBySourceTime } from './memoryColumns';
import { memoryOwner } from './memoryOwner';
import { PairList } from './pairList';
import type { ConsolidationMemory } from './types';

export {
  CANDIDATES_PER_MEMORY,
  KEYWORD_JACCARD_THRESHOLD,
  KEYWORD_NEIGHBOURS,
} from './keywordJoin';

export interface KeywordBlockingStats {
  memories: number;
  /** Blocks of one person and one memory type. */
  blocks: number;
  /** Pairs sharing a keyword whose Jaccard was computed. */
  pairsCompared: number;
  /** Episodic memories with keyword Jaccard ≥ 0.3 but days that do not overlap: two episodes. */
  episodesApart: number;
  /** Distinct pairs kept (each among the best ten of one of its memories). */
  candidates: number;
  /** What the reference compares: all pairs of each memory type. */
  referencePairs: number;
}

export interface KeywordCandidate {
  /** Positions in the input, `older` the earlier source time. */
  older: number;
  newer: number;
  jaccard: number;
}

/**
 * Candidate pairs by keywords: memories are blocked by whose they are and by type, an inverted
 * index maps each lower-cased keyword to the block's memories in source-time order, and each memory
 * keeps the partners with Jaccard ≥ 0.3, at most ten, best first (ties by id). Pure: no clock.
 */
export function keywordCandidates(memories: readonly ConsolidationMemory[]): {
  candidates: KeywordCandidate[];
  stats: KeywordBlockingStats;
} {
  const { pairs, stats } = keywordCandidatePairs(
    memories,
    memoryColumns(memories),
    numberKeywords(memories),
  );
  const candidates: KeywordCandidate[] = [];
  for (let i = 0; i < pairs.length; i++)
    candidates.push({ older: pairs.older[i]!, newer: pairs.newer[i]!, jaccard: pairs.score[i]! });
  return { candidates, stats };
}

/** `keywordCandidates` as typed arrays, in the same order: what detection reads. */
export function keywordCandidatePairs(
  memories: readonly ConsolidationMemory[],
  columns: MemoryColumns,
  keywords: NumberedKeywords,
): { pairs: PairList; stats: KeywordBlockingStats } {
  const blocks = blocksOf(memories);
  const perType = new Map<string, number>();
  for (const { memoryType, positions } of blocks)
    perType.set(memoryType, (perType.get(memoryType) ?? 0) + positions.length);
  const stats: KeywordBlockingStats = {
    memories: memories.length,
    blocks: blocks.length,
    pairsCompared: 0,
    episodesApart: 0,
    candidates: 0,
    referencePairs: [...perType.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0),
  };
  const join = new KeywordJoin(
    { keywords, columns },
    blocks.reduce((largest, block) => Math.max(largest, block.positions.length), 0),
  );
  const counts: JoinCounts = { pairsCompared: 0, episodesApart: 0 };
  const pairs = new PairList();
  for (const block of blocks) {
    const members = sortBySourceTime(Int32Array.from(block.positions), columns);
    const episodic = block.memoryType === 'episodic';
    listPairs(members, join.partners({ members, episodic }, counts), pairs);
  }
  stats.pairsCompared = counts.pairsCompared;
  stats.episodesApart = counts.episodesApart;
  stats.candidates = pairs.length;
  return { pairs, stats };
}

interface Block {
  memoryType: string;
  positions: number[];
}

/** Positions grouped by whose memory it is and its type, blocks in order of first appearance. */
function blocksOf(memories: readonly ConsolidationMemory[]): Block[] {
  // Per conversation, its owner's blocks by type: one lookup per memory, no key strings.
  const byConversation = new Map<string, Map<string, Block>>();
  const byOwner = new Map<string, Map<string, Block>>();
  const blocks: Block[] = [];
  memories.forEach(({ conversationId, memoryType }, position) => {
    let types = byConversation.get(conversationId);
    if (types === undefined) {
      const owner = memoryOwner(conversationId);
      types = byOwner.get(owner);
      if (types === undefined) byOwner.set(owner, (types = new Map()));
      byConversation.set(conversationId, types);
    }
    let block = types.get(memoryType);
    if (block === undefined) {
      types.set(memoryType, (block = { memoryType, positions: [] }));
      blocks.push(block);
    }
    block.positions.push(position);
  });
  return blocks;
}

/** Every kept pair once (a pair both memories keep is listed from the earlier one). */
function listPairs(members: Int32Array, partners: Partners, out: PairList): void {
  const { slots, count } = partners;
  const slot = (rank: number, k: number) => (rank * CANDIDATES_PER_MEMORY + k) * SLOT;
  const keeps = (rank: number, other: number) => {
    for (let k = 0; k < count[rank]!; k++)
      if (slots[slot(rank, k) + SLOT_RANK] === other) return true;
    return false;
  };
  for (let rank = 0; rank < members.length; rank++) {
    for (let k = 0; k < count[rank]!; k++) {
      const at = slot(rank, k);
      const other = slots[at + SLOT_RANK]!;
      if (other < rank && keeps(other, rank)) continue;
      out.push(
        members[Math.min(rank, other)]!,
        members[Math.max(rank, other)]!,
        // The same division as `jaccard`, so the same number.
        slots[at + SLOT_BOTH]! / slots[at + SLOT_EITHER]!,
      );
    }
  }
}
