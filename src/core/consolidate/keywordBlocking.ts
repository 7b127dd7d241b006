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
  const candidates: KeywordCandidate[] = [];
  const scratch = new Int32Array(memories.length);
  const width = CANDIDATES_PER_MEMORY;
  for (const block of blocks.values()) {
    block.sort((a, b) => compareSourceTime(memories[a]!, memories[b]!));
    const partners = blockPartners(block, memories, keywordSets, scratch, stats);
    const keeps = (rank: number, other: number) => {
      for (let k = 0; k < partners.count[rank]!; k++)
        if (partners.rank[rank * width + k] === other) return true;
      return false;
    };
    for (let rank = 0; rank < block.length; rank++) {
      for (let k = 0; k < partners.count[rank]!; k++) {
        const other = partners.rank[rank * width + k]!;
        // A pair both memories keep is listed once, from the earlier one.
        if (other < rank && keeps(other, rank)) continue;
        candidates.push({
          older: block[Math.min(rank, other)]!,
          newer: block[Math.max(rank, other)]!,
          jaccard: partners.score[rank * width + k]!,
        });
      }
    }
  }
  // Each pair was compared from both ends; count it once.
  stats.pairsCompared /= 2;
  stats.episodesApart /= 2;
  stats.candidates = candidates.length;
  return { candidates, stats };
}

/** Each block member's best partners: ranks and scores, best first, `count` of them. */
interface Partners {
  rank: Int32Array;
  score: Float64Array;
  count: Uint8Array;
}

/**
 * The keyword join inside one block (members in source-time order): typed arrays throughout, as
 * this loop runs once per memory and keyword neighbour. `shared` is scratch space, all zeros
 * before and after.
 */
function blockPartners(
  block: readonly number[],
  memories: readonly ConsolidationMemory[],
  keywordSets: readonly string[][],
  shared: Int32Array,
  stats: KeywordBlockingStats,
): Partners {
  const size = block.length;
  const width = CANDIDATES_PER_MEMORY;
  const keywordCount = new Int32Array(size);
  const idOrder = new Int32Array(size);
  const start = new Float64Array(size);
  const end = new Float64Array(size);
  const episodic = memories[block[0]!]!.memoryType === 'episodic';
  const postings = new Map<string, number[]>();
  // Postings hold ranks in the block (time order), so a memory's place in one is a binary search.
  block.forEach((position, rank) => {
    const memory = memories[position]!;
    keywordCount[rank] = keywordSets[position]!.length;
    start[rank] = memory.timeStart ?? Number.NaN;
    end[rank] = memory.timeEnd ?? Number.NaN;
    for (const keyword of keywordSets[position]!) {
      let posting = postings.get(keyword);
      if (!posting) postings.set(keyword, (posting = []));
      posting.push(rank);
    }
  });
  // Ties are broken by id: compare each id's place in id order, not the strings.
  const byId = Array.from(block.keys()).sort((a, b) =>
    memories[block[a]!]!.id < memories[block[b]!]!.id ? -1 : 1,
  );
  byId.forEach((rank, order) => (idOrder[rank] = order));

  const partners: Partners = {
    rank: new Int32Array(size * width),
    score: new Float64Array(size * width),
    count: new Uint8Array(size),
  };
  const half = KEYWORD_NEIGHBOURS / 2;
  const touched = new Int32Array(size);
  for (let rank = 0; rank < size; rank++) {
    let touchedCount = 0;
    for (const keyword of keywordSets[block[rank]!]!) {
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
        if (shared[other] === 0) touched[touchedCount++] = other;
        shared[other] = shared[other]! + 1;
      }
    }
    stats.pairsCompared += touchedCount;
    const base = rank * width;
    let count = 0;
    for (let t = 0; t < touchedCount; t++) {
      const other = touched[t]!;
      const score = jaccard(keywordCount[rank]!, keywordCount[other]!, shared[other]!);
      shared[other] = 0;
      if (score < KEYWORD_JACCARD_THRESHOLD) continue;
      // Two dated episodes on days that do not overlap are two episodes, however alike.
      if (episodic && (end[rank]! < start[other]! || end[other]! < start[rank]!)) {
        stats.episodesApart += 1;
        continue;
      }
      // Insert into this memory's best list (higher score first, then the smaller id).
      let at = count;
      while (
        at > 0 &&
        (score > partners.score[base + at - 1]! ||
          (score === partners.score[base + at - 1]! &&
            idOrder[other]! < idOrder[partners.rank[base + at - 1]!]!))
      )
        at -= 1;
      if (at >= width) continue;
      for (let k = Math.min(count, width - 1); k > at; k--) {
        partners.rank[base + k] = partners.rank[base + k - 1]!;
        partners.score[base + k] = partners.score[base + k - 1]!;
      }
      partners.rank[base + at] = other;
      partners.score[base + at] = score;
      if (count < width) count += 1;
    }
    partners.count[rank] = count;
  }
  return partners;
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
