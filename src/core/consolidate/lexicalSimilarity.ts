import { stopwords } from '../search/stopwords';
import { tokenize } from '../search/tokenize';

/**
 * The similarity used when no embedder is given: the cosine of the two contents' word sets
 * (|A ∩ B| / √(|A|·|B|), stopwords left out, words as search tokenizes them). Paraphrases change
 * words, so this runs lower than all-MiniLM-L6-v2's cosine on the same pair; its threshold is 0.5,
 * which keeps a changed value ("lives in Berlin" → "lives in Lisbon": 2 of 3 words, 0.67).
 */
export const LEXICAL_SIMILARITY_THRESHOLD = 0.5;

/** The content's distinct words, stopwords left out. */
export function contentWords(content: string): Set<string> {
  const words = new Set<string>();
  for (const word of tokenize(content)) if (!stopwords.has(word)) words.add(word);
  return words;
}

export function wordSetCosine(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared += 1;
  return shared / Math.sqrt(a.size * b.size);
}
