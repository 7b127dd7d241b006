/** A memory's keywords as consolidation compares them: trimmed, lower-cased, each once. */
export function keywordSet(keywords: readonly string[]): string[] {
  const set = new Set<string>();
  for (const keyword of keywords) {
    const key = keyword.trim().toLowerCase();
    if (key !== '') set.add(key);
  }
  return [...set];
}

/** |A ∩ B| / |A ∪ B| from the sizes and the intersection. */
export const jaccard = (sizeA: number, sizeB: number, shared: number): number =>
  shared === 0 ? 0 : shared / (sizeA + sizeB - shared);
