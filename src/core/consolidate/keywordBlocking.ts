import { jaccard, keywordSet } from './keywords';
import { memoryOwner } from './memoryOwner';
import { compareSourceTime } from './sourceOrder';
import type { ConsolidationMemory } from './types';

/** The reference's keyword blocking threshold (`detect.py`): lower-cased keyword Jaccard ≥ 0.3. */
export const KEYWORD_JACCARD_THRESHOLD = 0.3;
/** Each memory keeps at most this many partners, best first: the work grows with N, not N². */
export const CANDIDATES_PER_MEMORY = 10;
/**
 * A keyword shared by more memories of one person and type than this is compared only among the
 * memories nearest in time (half before, half after), so one very common keyword cannot make the
 * blocking quadratic. Rare keywords, where duplicates and conflicts meet, are compared in full.
 */
export const KEYWORD_NEIGHBOURS = 512;

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

/** Two dated episodes on days that do not overlap are two episodes, however alike their words. */
function episodesApart(a: ConsolidationMemory, b: ConsolidationMemory): boolean {
  if (a.memoryType !== 'episodic') return false;
  if (a.timeStart === null || a.timeEnd === null || b.timeStart === null || b.timeEnd === null)
    return false;
  return a.timeEnd < b.timeStart || b.timeEnd < a.timeStart;
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
  const keywordSets = memories.map((memory) => keywordSet(memory.keywords));
  const blocks = new Map<string, number[]>();
  const perType = new Map<string, number>();
  memories.forEach((memory, position) => {
    const key = `${memoryOwner(memory.conversationId)}\u0000${memory.memoryType}`;
    let block = blocks.get(key);
    if (!block) blocks.set(key, (block = []));
    block.push(position);
    perType.set(memory.memoryType, (perType.get(memory.memoryType) ?? 0) + 1);
  });
  const stats: KeywordBlockingStats = {
    memories: memories.length,
    blocks: blocks.size,
    pairsCompared: 0,
    episodesApart: 0,
    candidates: 0,
    referencePairs: [...perType.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0),
  };
  const pairKeys = new Set<number>();
  const candidates: KeywordCandidate[] = [];
  const shared = new Int32Array(memories.length);
  const half = KEYWORD_NEIGHBOURS / 2;

  for (const block of blocks.values()) {
    block.sort((a, b) => compareSourceTime(memories[a]!, memories[b]!));
    // Postings hold ranks in the block (time order), so a memory's place in one is a binary search.
    const postings = new Map<string, number[]>();
    block.forEach((position, rank) => {
      for (const keyword of keywordSets[position]!) {
        let posting = postings.get(keyword);
        if (!posting) postings.set(keyword, (posting = []));
        posting.push(rank);
      }
    });
    block.forEach((position, rank) => {
      const own = keywordSets[position]!;
      const touched: number[] = [];
      for (const keyword of own) {
        const posting = postings.get(keyword)!;
        let from = 0;
        let to = posting.length - 1;
        if (posting.length > KEYWORD_NEIGHBOURS) {
          const at = lowerBound(posting, rank);
          from = Math.max(0, at - half);
          to = Math.min(posting.length - 1, at + half);
        }
        for (let i = from; i <= to; i++) {
          const other = posting[i]!;
          if (other === rank) continue;
          if (shared[other] === 0) touched.push(other);
          shared[other] = shared[other]! + 1;
        }
      }
      const kept: { rank: number; jaccard: number }[] = [];
      for (const other of touched) {
        const score = jaccard(own.length, keywordSets[block[other]!]!.length, shared[other]!);
        shared[other] = 0;
        stats.pairsCompared += 1;
        if (score < KEYWORD_JACCARD_THRESHOLD) continue;
        if (episodesApart(memories[position]!, memories[block[other]!]!)) {
          stats.episodesApart += 1;
          continue;
        }
        kept.push({ rank: other, jaccard: score });
      }
      kept.sort((a, b) => {
        if (b.jaccard !== a.jaccard) return b.jaccard - a.jaccard;
        const idA = memories[block[a.rank]!]!.id;
        const idB = memories[block[b.rank]!]!.id;
        return idA < idB ? -1 : idA > idB ? 1 : 0;
      });
      for (const { rank: other, jaccard: score } of kept.slice(0, CANDIDATES_PER_MEMORY)) {
        const older = Math.min(rank, other);
        const newer = Math.max(rank, other);
        const key = block[older]! * memories.length + block[newer]!;
        if (pairKeys.has(key)) continue;
        pairKeys.add(key);
        candidates.push({ older: block[older]!, newer: block[newer]!, jaccard: score });
      }
    });
  }
  // Each pair was compared from both ends; count it once.
  stats.pairsCompared /= 2;
  stats.episodesApart /= 2;
  stats.candidates = candidates.length;
  return { candidates, stats };
}

/** The first index whose value is ≥ `value` in an ascending array. */
function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
