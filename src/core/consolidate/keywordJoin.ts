import { jaccard } from './keywords';
import type { NumberedKeywords } from './keywordNumbers';
import type { MemoryColumns } from './memoryColumns';

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

/** What one block's join counted, from both ends of each pair. */
export interface JoinCounts {
  pairsCompared: number;
  episodesApart: number;
}

/** One block: its members (positions in the input) in source-time order, and their facts. */
export interface JoinBlock {
  members: Int32Array;
  episodic: boolean;
}

/** Per memory (by position): its keywords, its place in id order and its days. */
export interface JoinFacts {
  keywords: NumberedKeywords;
  columns: MemoryColumns;
}

/** Each block member's best partners (ranks in the block) and scores, best first, `count` each. */
export interface Partners {
  rank: Int32Array;
  score: Float64Array;
  count: Uint8Array;
}

/**
 * The keyword join of every block, with scratch space sized once for the largest: typed arrays
 * throughout, as its inner loop runs once per memory and keyword neighbour.
 */
export class KeywordJoin {
  /** Per block rank: how many keywords it shares with the memory being joined (0 between). */
  private readonly shared: Int32Array;
  private readonly touched: Int32Array;
  /** Per keyword number: its posting's start, length and fill cursor in `postings`. */
  private readonly postingStart: Int32Array;
  private readonly postingLength: Int32Array;
  private readonly postingCursor: Int32Array;
  private readonly postings: Int32Array;
  private readonly used: Int32Array;

  constructor(
    private readonly facts: JoinFacts,
    largestBlock: number,
  ) {
    const { keywords } = facts;
    this.shared = new Int32Array(largestBlock);
    this.touched = new Int32Array(largestBlock);
    this.postingStart = new Int32Array(keywords.distinct);
    this.postingLength = new Int32Array(keywords.distinct);
    this.postingCursor = new Int32Array(keywords.distinct);
    this.postings = new Int32Array(keywords.ids.length);
    this.used = new Int32Array(keywords.distinct);
  }

  /** Each member's partners with Jaccard ≥ 0.3, at most ten, best first (ties by id). */
  partners(block: JoinBlock, counts: JoinCounts): Partners {
    const { members, episodic } = block;
    const size = members.length;
    const width = CANDIDATES_PER_MEMORY;
    const { start: keywordStart, ids: keywordIds } = this.facts.keywords;
    const { idRank, timeStart, timeEnd } = this.facts.columns;
    const keywordCount = new Int32Array(size);
    const idOrder = new Int32Array(size);
    const start = new Float64Array(size);
    const end = new Float64Array(size);
    for (let rank = 0; rank < size; rank++) {
      const position = members[rank]!;
      keywordCount[rank] = keywordStart[position + 1]! - keywordStart[position]!;
      idOrder[rank] = idRank[position]!;
      start[rank] = timeStart[position]!;
      end[rank] = timeEnd[position]!;
    }
    const usedCount = this.indexPostings(members);
    const { shared, touched, postings, postingStart, postingLength } = this;
    const rankOut = new Int32Array(size * width);
    const scoreOut = new Float64Array(size * width);
    const countOut = new Uint8Array(size);
    const half = KEYWORD_NEIGHBOURS / 2;
    let compared = 0;
    let apart = 0;
    for (let rank = 0; rank < size; rank++) {
      const position = members[rank]!;
      let touchedCount = 0;
      for (let k = keywordStart[position]!; k < keywordStart[position + 1]!; k++) {
        const keyword = keywordIds[k]!;
        const first = postingStart[keyword]!;
        const length = postingLength[keyword]!;
        let from = first;
        let to = first + length - 1;
        if (length > KEYWORD_NEIGHBOURS) {
          // Postings hold ranks in time order: this memory's place in one is a binary search.
          const at = lowerBound(postings, first, first + length, rank);
          from = Math.max(first, at - half);
          to = Math.min(first + length - 1, at + half);
        }
        for (let i = from; i <= to; i++) {
          const other = postings[i]!;
          if (other === rank) continue;
          if (shared[other] === 0) touched[touchedCount++] = other;
          shared[other] = shared[other]! + 1;
        }
      }
      compared += touchedCount;
      const base = rank * width;
      const ownCount = keywordCount[rank]!;
      let count = 0;
      for (let t = 0; t < touchedCount; t++) {
        const other = touched[t]!;
        const score = jaccard(ownCount, keywordCount[other]!, shared[other]!);
        shared[other] = 0;
        if (score < KEYWORD_JACCARD_THRESHOLD) continue;
        // Two dated episodes on days that do not overlap are two episodes, however alike.
        if (episodic && (end[rank]! < start[other]! || end[other]! < start[rank]!)) {
          apart += 1;
          continue;
        }
        // Insert into this memory's best list (higher score first, then the smaller id).
        let at = count;
        while (
          at > 0 &&
          (score > scoreOut[base + at - 1]! ||
            (score === scoreOut[base + at - 1]! &&
              idOrder[other]! < idOrder[rankOut[base + at - 1]!]!))
        )
          at -= 1;
        if (at >= width) continue;
        for (let k = Math.min(count, width - 1); k > at; k--) {
          rankOut[base + k] = rankOut[base + k - 1]!;
          scoreOut[base + k] = scoreOut[base + k - 1]!;
        }
        rankOut[base + at] = other;
        scoreOut[base + at] = score;
        if (count < width) count += 1;
      }
      countOut[rank] = count;
    }
    counts.pairsCompared += compared;
    counts.episodesApart += apart;
    this.clearPostings(usedCount);
    return { rank: rankOut, score: scoreOut, count: countOut };
  }

  /** The block's inverted index: each keyword's members as ranks, ascending. */
  private indexPostings(members: Int32Array): number {
    const { start: keywordStart, ids: keywordIds } = this.facts.keywords;
    const { postingStart, postingLength, postingCursor, postings, used } = this;
    let usedCount = 0;
    for (let rank = 0; rank < members.length; rank++) {
      const position = members[rank]!;
      for (let k = keywordStart[position]!; k < keywordStart[position + 1]!; k++) {
        const keyword = keywordIds[k]!;
        if (postingLength[keyword] === 0) used[usedCount++] = keyword;
        postingLength[keyword] = postingLength[keyword]! + 1;
      }
    }
    let offset = 0;
    for (let u = 0; u < usedCount; u++) {
      const keyword = used[u]!;
      postingStart[keyword] = offset;
      postingCursor[keyword] = offset;
      offset += postingLength[keyword]!;
    }
    for (let rank = 0; rank < members.length; rank++) {
      const position = members[rank]!;
      for (let k = keywordStart[position]!; k < keywordStart[position + 1]!; k++) {
        const keyword = keywordIds[k]!;
        postings[postingCursor[keyword]!] = rank;
        postingCursor[keyword] = postingCursor[keyword]! + 1;
      }
    }
    return usedCount;
  }

  private clearPostings(usedCount: number): void {
    for (let u = 0; u < usedCount; u++) this.postingLength[this.used[u]!] = 0;
  }
}

/** The first index in [from, to) whose value is ≥ `value`, in an ascending stretch. */
function lowerBound(values: Int32Array, from: number, to: number, value: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
