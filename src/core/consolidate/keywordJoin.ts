import type { NumberedKeywords } from './keywordNumbers';
import type { MemoryColumns } from './memoryColumns';

/** The reference's keyword blocking threshold (`detect.py`): lower-cased keyword Jaccard ≥ 0.3. */
export const KEYWORD_JACCARD_THRESHOLD = 0.3;
/** The threshold as a fraction, 3/10: Jaccard < 0.3 exactly when 10·both < 3·either. */
const THRESHOLD_OF = 3;
const THRESHOLD_PARTS = 10;
/** Each memory keeps at most this many partners, best first: the work grows with N, not N². */
export const CANDIDATES_PER_MEMORY = 10;
/**
 * A keyword shared by more memories of one person and type than this is compared only among the
 * memories nearest in time (half before, half after), so one very common keyword cannot make the
 * blocking quadratic. Rare keywords, where duplicates and conflicts meet, are compared in full.
 */
export const KEYWORD_NEIGHBOURS = 512;

/** What the joins counted, each pair once. */
export interface JoinCounts {
  pairsCompared: number;
  episodesApart: number;
}

/** One block: its members (positions in the input) in source-time order, and their type. */
export interface JoinBlock {
  members: Int32Array;
  episodic: boolean;
}

/** Per memory (by position): its keywords, its place in id order and its days. */
export interface JoinFacts {
  keywords: NumberedKeywords;
  columns: MemoryColumns;
}

/**
 * Each block member's best partners, best first, `count[rank]` of them. Partner `k` of the
 * member at `rank` is the slot at `(rank * CANDIDATES_PER_MEMORY + k) * SLOT`: its rank in the
 * block, the keywords in both and in either (its Jaccard is `both / either`), and its place in
 * id order. The four sit together, so judging a newcomer against a full list's last partner reads
 * one spot of memory.
 */
export interface Partners {
  slots: Int32Array;
  count: Uint8Array;
}

export const SLOT = 4;
export const SLOT_RANK = 0;
export const SLOT_BOTH = 1;
export const SLOT_EITHER = 2;
const SLOT_ID_ORDER = 3;

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
  /** Per keyword slot (as in `NumberedKeywords.ids`): the memory's place in that posting. */
  private readonly placeInPosting: Int32Array;

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
    this.placeInPosting = new Int32Array(keywords.ids.length);
  }

  /**
   * Each member's partners with Jaccard ≥ 0.3, at most ten, best first (ties by id, ids being
   * unique). Two memories are neighbours on a keyword when both have it and, on a keyword of more
   * than KEYWORD_NEIGHBOURS memories, at most half that many others lie between them in time.
   * Being neighbours is mutual, so each pair is met once, from its earlier memory, and offered to
   * both memories' lists: half the work of meeting it from both ends.
   */
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
    const { shared, touched, postings, postingStart, postingLength, placeInPosting } = this;
    const slots = new Int32Array(size * width * SLOT);
    const countOut = new Uint8Array(size);
    /** Offers `other` to `owner`'s best list (higher Jaccard first, then the smaller id). */
    const offer = (owner: number, other: number, both: number, either: number) => {
      const base = owner * width * SLOT;
      const count = countOut[owner]!;
      const otherId = idOrder[other]!;
      let at = count;
      while (at > 0) {
        const ahead = base + (at - 1) * SLOT;
        // Jaccard compared as fractions (both / either), without dividing: exact.
        const difference = both * slots[ahead + SLOT_EITHER]! - slots[ahead + SLOT_BOTH]! * either;
        if (difference < 0 || (difference === 0 && otherId >= slots[ahead + SLOT_ID_ORDER]!)) break;
        at -= 1;
      }
      if (at >= width) return;
      const end = base + Math.min(count, width - 1) * SLOT;
      const from = base + at * SLOT;
      slots.copyWithin(from + SLOT, from, end);
      slots[from + SLOT_RANK] = other;
      slots[from + SLOT_BOTH] = both;
      slots[from + SLOT_EITHER] = either;
      slots[from + SLOT_ID_ORDER] = otherId;
      if (count < width) countOut[owner] = count + 1;
    };
    const half = KEYWORD_NEIGHBOURS / 2;
    let compared = 0;
    let apart = 0;
    for (let rank = 0; rank < size; rank++) {
      const position = members[rank]!;
      let touchedCount = 0;
      for (let k = keywordStart[position]!; k < keywordStart[position + 1]!; k++) {
        const keyword = keywordIds[k]!;
        const length = postingLength[keyword]!;
        const last = postingStart[keyword]! + length - 1;
        // Postings hold ranks in time order: the later neighbours follow this memory's place.
        const at = placeInPosting[k]!;
        const to = length > KEYWORD_NEIGHBOURS ? Math.min(last, at + half) : last;
        for (let i = at + 1; i <= to; i++) {
          const other = postings[i]!;
          const count = shared[other]!;
          if (count === 0) touched[touchedCount++] = other;
          shared[other] = count + 1;
        }
      }
      compared += touchedCount;
      const ownCount = keywordCount[rank]!;
      for (let t = 0; t < touchedCount; t++) {
        const other = touched[t]!;
        const both = shared[other]!;
        const either = ownCount + keywordCount[other]! - both;
        shared[other] = 0;
        // Jaccard < 0.3 exactly when 10·both < 3·either.
        if (THRESHOLD_PARTS * both < THRESHOLD_OF * either) continue;
        // Two dated episodes on days that do not overlap are two episodes, however alike.
        if (episodic && (end[rank]! < start[other]! || end[other]! < start[rank]!)) {
          apart += 1;
          continue;
        }
        offer(rank, other, both, either);
        offer(other, rank, both, either);
      }
    }
    counts.pairsCompared += compared;
    counts.episodesApart += apart;
    this.clearPostings(usedCount);
    return { slots, count: countOut };
  }

  /**
   * The block's inverted index: each keyword's members as ranks, ascending, and each keyword
   * slot's place in its posting (`placeInPosting`, by slot in the numbered keywords).
   */
  private indexPostings(members: Int32Array): number {
    const { start: keywordStart, ids: keywordIds } = this.facts.keywords;
    const { postingStart, postingLength, postingCursor, postings, used, placeInPosting } = this;
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
        const place = postingCursor[keyword]!;
        postings[place] = rank;
        placeInPosting[k] = place;
        postingCursor[keyword] = place + 1;
      }
    }
    return usedCount;
  }

  private clearPostings(usedCount: number): void {
    for (let u = 0; u < usedCount; u++) this.postingLength[this.used[u]!] = 0;
  }
}
