import MiniSearch from 'minisearch';

/** A searchable piece of a memory and how much a match in it counts. */
export interface TextField {
  text: string;
  boost: number;
}

interface VocabularyEntry {
  id: number;
  term: string;
}

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
const processTerm = MiniSearch.getDefault('processTerm') as (term: string) => string | null;

const termsOf = (text: string): string[] => {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    const term = processTerm(token);
    if (term) terms.push(term);
  }
  return terms;
};

/**
 * Full-text search with prefix and fuzzy matching over many memories, fast enough to run on every
 * keystroke. MiniSearch matches each query word against the *vocabulary* (prefix, typo-tolerant),
 * which is small; the memories holding each vocabulary term come from typed postings lists, so a
 * query touching half of 100,000 memories still costs a few milliseconds instead of building a
 * result object per memory. Words of a query must all match (AND); the rest is ranked by field
 * boost, how exact the match is, and how rare the term is.
 *
 * Slots are never reused: a changed memory gets a new slot and stale postings are skipped through
 * the `isLive` check the caller passes to {@link search}.
 */
export class TextIndex {
  private readonly vocabulary = new MiniSearch<VocabularyEntry>({
    fields: ['term'],
    storeFields: [],
    searchOptions: {
      prefix: true,
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      maxFuzzy: 2,
    },
  });
  private readonly termIdOf = new Map<string, number>();
  private readonly postingSlots: number[][] = [];
  private readonly postingWeights: number[][] = [];
  private scores = new Float64Array(0);
  private hits = new Uint16Array(0);

  add(slot: number, fields: readonly TextField[]): void {
    const weights = new Map<string, number>();
    for (const field of fields) {
      // A term counts once per field, however often it repeats there.
      for (const term of new Set(termsOf(field.text))) {
        weights.set(term, (weights.get(term) ?? 0) + field.boost);
      }
    }
    for (const [term, weight] of weights) {
      let id = this.termIdOf.get(term);
      if (id === undefined) {
        id = this.postingSlots.length;
        this.termIdOf.set(term, id);
        this.postingSlots.push([]);
        this.postingWeights.push([]);
        this.vocabulary.add({ id, term });
      }
      this.postingSlots[id]!.push(slot);
      this.postingWeights[id]!.push(weight);
    }
  }

  /**
   * Slots whose text matches every word of `query` (prefix and fuzzy), best first when `rank`.
   * Returns null when the query has no searchable word (e.g. only punctuation).
   */
  search(query: string, isLive: (slot: number) => boolean, slotCount: number, rank: boolean) {
    const queryTerms = [...new Set(termsOf(query))];
    if (queryTerms.length === 0) return null;
    if (this.scores.length < slotCount) {
      this.scores = new Float64Array(slotCount * 2);
      this.hits = new Uint16Array(slotCount * 2);
    }
    const { scores, hits } = this;
    const touched: number[] = [];

    queryTerms.forEach((queryTerm, position) => {
      for (const match of this.vocabulary.search(queryTerm)) {
        const id = match.id as number;
        const slots = this.postingSlots[id]!;
        const weights = this.postingWeights[id]!;
        // Rarer terms say more about a memory.
        const weight = match.score * Math.log(1 + slotCount / slots.length);
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i]!;
          const seen = hits[slot]!;
          if (position === 0 && seen === 0) {
            if (!isLive(slot)) continue;
            hits[slot] = 1;
            touched.push(slot);
          } else if (seen === position) {
            hits[slot] = position + 1;
          } else if (seen !== position + 1) {
            continue;
          }
          scores[slot] = scores[slot]! + weight * weights[i]!;
        }
      }
    });

    const found: number[] = [];
    for (const slot of touched) if (hits[slot] === queryTerms.length) found.push(slot);
    if (rank) found.sort((a, b) => scores[b]! - scores[a]! || a - b);
    for (const slot of touched) {
      hits[slot] = 0;
      scores[slot] = 0;
    }
    return Int32Array.from(found);
  }
}
