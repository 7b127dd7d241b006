/**
 * The similarity used when no embedder is given: the cosine of the two contents' word sets
 * (|A ∩ B| / √(|A|·|B|), stopwords left out, words as search tokenizes them). Paraphrases change
 * words, so this runs lower than all-MiniLM-L6-v2's cosine on the same pair; its threshold is 0.5,
 * which keeps a changed value ("lives in Berlin" → "lives in Lisbon": 2 of 3 words, 0.67).
 * `NumberedWords` computes it.
 */
export const LEXICAL_SIMILARITY_THRESHOLD = 0.5;
