const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;

/**
 * The indices of `keys` in ascending key order, equal keys in index order: a least-significant-
 * digit radix sort, 16 bits a pass. `keys` must be whole numbers in [0, 2^53). Sorting 700,000
 * pairs this way takes a handful of linear passes instead of millions of comparator calls.
 */
export function orderByKey(keys: Float64Array): Uint32Array {
  let order = new Uint32Array(keys.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  let largest = 0;
  for (const key of keys) if (key > largest) largest = key;
  let scratch = new Uint32Array(keys.length);
  const counts = new Uint32Array(DIGITS);
  for (let scale = 1; scale <= largest; scale *= DIGITS) {
    counts.fill(0);
    for (let i = 0; i < keys.length; i++) counts[digit(keys[i]!, scale)]! += 1;
    let total = 0;
    for (let d = 0; d < DIGITS; d++) {
      const count = counts[d]!;
      counts[d] = total;
      total += count;
    }
    for (let i = 0; i < order.length; i++) {
      const index = order[i]!;
      const d = digit(keys[index]!, scale);
      scratch[counts[d]!] = index;
      counts[d]! += 1;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}

const digit = (key: number, scale: number) => Math.floor(key / scale) % DIGITS;
