import { orderByKey } from './keyOrder';
import type { PairList } from './pairList';

/**
 * The kept pairs (indices into `pairs`) best first: higher similarity, then the older memory's
 * id, then the newer's, then the order found. Similarities are kept to four decimals, so the
 * three make one whole number per pair and a radix sort orders them; where they do not fit in
 * 2^53 (or a similarity is not a number) the comparator sort does the same job, slower.
 */
export function bestFirst(
  kept: readonly number[],
  similarity: Float64Array,
  pairs: PairList,
  idRank: Int32Array,
): Uint32Array {
  const { older, newer } = pairs;
  let ranks = 0;
  for (const rank of idRank) if (rank + 1 > ranks) ranks = rank + 1;
  let lowest = Infinity;
  let highest = -Infinity;
  for (const i of kept) {
    const steps = Math.round(similarity[i]! * 1e4);
    if (steps < lowest) lowest = steps;
    if (steps > highest) highest = steps;
  }
  const span = highest - lowest + 1;
  if (kept.length > 0 && Number.isFinite(span) && span * ranks * ranks <= 2 ** 53) {
    const keys = new Float64Array(kept.length);
    kept.forEach((i, at) => {
      const below = highest - Math.round(similarity[i]! * 1e4);
      keys[at] = (below * ranks + idRank[older[i]!]!) * ranks + idRank[newer[i]!]!;
    });
    const order = orderByKey(keys);
    for (let at = 0; at < order.length; at++) order[at] = kept[order[at]!]!;
    return order;
  }
  return Uint32Array.from(kept).sort(
    (a, b) =>
      similarity[b]! - similarity[a]! ||
      idRank[older[a]!]! - idRank[older[b]!]! ||
      idRank[newer[a]!]! - idRank[newer[b]!]! ||
      a - b,
  );
}
