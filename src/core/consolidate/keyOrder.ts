const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGITS - 1;
const TWO_TO_32 = 2 ** 32;

/**
 * The indices of `keys` in ascending key order, equal keys in index order: a least-significant-
 * digit radix sort, 16 bits a pass, over each key split into two 32-bit halves. `keys` must be
 * whole numbers in [0, 2^53). Sorting 700,000 pairs this way takes a handful of linear passes
 * instead of millions of comparator calls.
 */
export function orderByKey(keys: Float64Array): Uint32Array {
  const low = new Uint32Array(keys.length);
  const high = new Uint32Array(keys.length);
  let largestHigh = 0;
  let largestLow = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const top = Math.floor(key / TWO_TO_32);
    high[i] = top;
    low[i] = key - top * TWO_TO_32;
    if (top > largestHigh) largestHigh = top;
    if (low[i]! > largestLow) largestLow = low[i]!;
  }
  let order = new Uint32Array(keys.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  let scratch = new Uint32Array(keys.length);
  const counts = new Uint32Array(DIGITS);
  const passes: [Uint32Array, number][] = [];
  if (largestHigh > 0 || largestLow > 0) passes.push([low, 0]);
  if (largestHigh > 0 || largestLow > DIGIT_MASK) passes.push([low, DIGIT_BITS]);
  if (largestHigh > 0) passes.push([high, 0]);
  if (largestHigh > DIGIT_MASK) passes.push([high, DIGIT_BITS]);
  for (const [half, shift] of passes) {
    counts.fill(0);
    for (let i = 0; i < keys.length; i++) counts[(half[i]! >>> shift) & DIGIT_MASK]! += 1;
    let total = 0;
    for (let d = 0; d < DIGITS; d++) {
      const count = counts[d]!;
      counts[d] = total;
      total += count;
    }
    for (let i = 0; i < order.length; i++) {
      const index = order[i]!;
      const d = (half[index]! >>> shift) & DIGIT_MASK;
      scratch[counts[d]!] = index;
      counts[d]! += 1;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}
