import type { SearchIndex } from './searchIndex';
import { stopwords } from './stopwords';
import { tokenize } from './tokenize';
import { TopRanked, type Scored } from './topRanked';
import type { QueryAnalysis } from './types';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/**
 * The query words: anchor and keywords, each word once, as the reference takes them, but without
 * the anchor's stop words and the words of the time constraint (`2023`, which the structured route
 * scores). The reference keeps them, and since nearly every memory says "the user", a question whose
 * content words appear nowhere then ranks memories by "what", "did" and "the" (a documented
 * deviation). Keyword words are all kept: "Year" in the keyword "New Year" is meant.
 */
export function bm25QueryWords(analysis: QueryAnalysis): string[] {
  const timeWords = new Set(tokenize(analysis.dimension.time));
  const anchorWords = tokenize(analysis.query_anchor).filter(
    (word) => !stopwords.has(word) && word !== 'user' && !timeWords.has(word),
  );
  const keywordWords = analysis.dimension.keywords.flatMap(tokenize);
  return [...new Set([...anchorWords, ...keywordWords])];
}

/**
 * BM25 (k1 1.2, b 0.75, idf = ln(1 + (N − df + 0.5) / (df + 0.5))) of the query words over each
 * memory's content | reason | purpose | keywords. Memories sharing no word with the query score 0
 * and are left out.
 */
export function bm25Route(index: SearchIndex, analysis: QueryAnalysis, topK: number): Scored[] {
  const top = new TopRanked(topK, index.idRanks());
  const count = index.documentCount;
  if (count === 0) return [];
  const averageLength = index.averageLength;
  const scores = new Float64Array(index.memories.length);
  const touched: number[] = [];
  const { words, memories, docLengths } = index;
  for (const word of bm25QueryWords(analysis)) {
    const id = words.idOf(word);
    if (id === undefined) continue;
    const df = words.frequency[id]!;
    if (df <= 0) continue;
    const idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
    const slots = words.postingSlots[id]!;
    const counts = words.postingCounts[id]!;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (memories[slot] === null) continue;
      const tf = counts[i]!;
      const norm =
        tf + BM25_K1 * (1 - BM25_B + (BM25_B * docLengths[slot]!) / (averageLength + 1e-12));
      if (scores[slot] === 0) touched.push(slot);
      scores[slot] = scores[slot]! + (idf * tf * (BM25_K1 + 1)) / (norm + 1e-12);
    }
  }
  for (const slot of touched) if (scores[slot]! > 0) top.offer(slot, scores[slot]!);
  return top.result();
}
