import { describe, expect, it } from 'vitest';

import { orderByKey } from '../../../../src/core/consolidate/keyOrder';
import { seededRandom } from '../../../../src/core/seededRandom';

/** The plain way: indices sorted by key, equal keys in index order (Array sort is stable). */
const comparatorOrder = (keys: Float64Array) =>
  Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);

const LARGEST = Number.MAX_SAFE_INTEGER;

function randomKeys(seed: number, size: number, draw: (random: () => number) => number) {
  const random = seededRandom(seed);
  return Float64Array.from({ length: size }, () => draw(random));
}

describe('ordering indices by a whole-number key (radix sort)', () => {
  const cases: [string, Float64Array][] = [
    ['none', new Float64Array(0)],
    ['one', Float64Array.of(12345)],
    ['one zero', Float64Array.of(0)],
    ['all zero', new Float64Array(1000)],
    ['one largest', Float64Array.of(LARGEST)],
    // The largest key exactly a power of 2^16: its top digit needs a pass of its own.
    ['largest 2^16', Float64Array.of(65_536, 1, 0, 65_535, 65_536, 2)],
    ['largest 2^32', Float64Array.of(2 ** 32, 2 ** 32 - 1, 5, 2 ** 32, 0)],
    ['largest 2^48', Float64Array.of(2 ** 48, 7, 2 ** 48 - 1, 2 ** 32)],
    ['few distinct, many repeats', randomKeys(1, 5_000, (r) => Math.floor(r() * 4))],
    // Around each 16-bit digit boundary, where a pass that drops a carry would misplace them.
    [
      'digit boundaries',
      randomKeys(2, 5_000, (r) => {
        const boundary = 2 ** (16 * (1 + Math.floor(r() * 3)));
        return Math.max(0, boundary + Math.floor(r() * 5) - 2);
      }),
    ],
    ['near 2^53 - 1', randomKeys(3, 5_000, (r) => LARGEST - Math.floor(r() * 70))],
    [
      'mixed small, large and repeats',
      randomKeys(4, 20_000, (r) => {
        const roll = r();
        if (roll < 0.2) return 0;
        if (roll < 0.4) return LARGEST - Math.floor(r() * 3);
        if (roll < 0.6) return Math.floor(r() * 100);
        return Math.floor(r() * LARGEST);
      }),
    ],
    // More keys than one digit's 65,536 values, and a key needing all four passes.
    ['70,000', randomKeys(5, 70_000, (r) => (r() < 0.001 ? LARGEST : Math.floor(r() * 2 ** 40)))],
    ['70,000 with ties', randomKeys(6, 70_000, (r) => Math.floor(r() * 300) * 2 ** 20)],
    ['descending', Float64Array.from({ length: 70_000 }, (_, i) => (70_000 - i) * 2 ** 30)],
  ];

  it.each(cases)('%s: the stable comparator order', (_, keys) => {
    const order = orderByKey(keys);
    expect(order).toBeInstanceOf(Uint32Array);
    expect(Array.from(order)).toEqual(comparatorOrder(keys));
  });

  it('leaves the keys as they were', () => {
    const keys = randomKeys(8, 1_000, (r) => Math.floor(r() * 2 ** 50));
    const copy = keys.slice();
    orderByKey(keys);
    expect(keys).toEqual(copy);
  });
});
