import { f16round, getFloat16 } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';

import { quantizeBf16Block } from '../../../../src/core/convert';
import type { MlcQuantization } from '../../../../src/core/convert';
import { bf16ToNumber, referenceQuantize } from '../../../support/convert/referenceQuantizer';
import { seededRandom, toBf16Bits } from '../../../support/convert/syntheticCheckpoint';

/** bf16 bits of exact values (all values below are exact in bf16). */
const bf16 = (values: number[]) => Uint16Array.from(values, toBf16Bits);
const group = (values: number[]) => bf16([...values, ...Array(32 - values.length).fill(0)]);
const codesOf = (qWeight: Uint32Array) =>
  Array.from(
    { length: qWeight.length * 8 },
    (_, i) => ((qWeight[i >> 3] as number) >>> ((i & 7) * 4)) & 15,
  );

function quantize(values: Uint16Array, quantization: MlcQuantization, cols = 32) {
  return quantizeBf16Block({ quantization, bf16: values, rows: values.length / cols, cols });
}

describe('group quantization golden vectors (worked by hand from TVM’s formula)', () => {
  it('packs element 0 in the lowest nibble of a little-endian uint32', () => {
    // max |w| = 7, so the scale is exactly 1 and code = w + 7.
    const weights = [-7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 0];
    for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
      const { qWeight, qScale } = quantize(group(weights), quantization);
      expect(Array.from(qWeight, (word) => word.toString(16))).toEqual([
        '76543210',
        '7edcba98',
        '77777777',
        '77777777',
      ]);
      expect(qScale[0]).toBe(quantization === 'q4f16_1' ? 0x3c00 : 0x3f80); // 1.0 in float16 / bf16
      const bytes = new Uint8Array(qWeight.buffer);
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0x10, 0x32, 0x54, 0x76]);
    }
  });

  it('q4f16_1: scale f16(1/7) = 0.142822265625, exact .5 ties go to the even code', () => {
    // t = f16(w / s), u = f16(t + 7): w = 1 → 7.0017… → 7 → 14; w = 0.5 → 3.5 → 10.5 → 10 (even);
    // w = -0.5 → 3.5 → 4 (even); w = 0.25 → 1.75 → 8.75 → 9; w = -1 → 0; w = 0 → 7.
    const { qWeight, qScale } = quantize(group([1, 0.5, -0.5, 0.25, -1, 0]), 'q4f16_1');
    expect(qScale[0]).toBe(0x3092);
    expect(codesOf(qWeight).slice(0, 7)).toEqual([14, 10, 4, 9, 0, 7, 7]);
  });

  it('q4f32_1: scale fround(1/7) stored as bf16 0x3e12; 0.5 lands on 10.5 after float32 rounding and goes to 10', () => {
    // s = 0x3e124925; 0.5 / s = 3.49999987… → f32 3.49999976; + 7 → f32 10.5 → 10.
    const { qWeight, qScale } = quantize(group([1, 0.5, -0.5, 0.25, -1, 0]), 'q4f32_1');
    expect(qScale[0]).toBe(0x3e12);
    expect(codesOf(qWeight).slice(0, 7)).toEqual([14, 10, 4, 9, 0, 7, 7]);
  });

  it('an all-zero group has scale 0 and codes 0, not 7', () => {
    for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
      const { qWeight, qScale } = quantize(group([]), quantization);
      expect(qScale[0]).toBe(0);
      expect(Array.from(qWeight)).toEqual([0, 0, 0, 0]);
    }
  });

  it('q4f16_1 subnormals: a scale of 2^-23 clamps 2^-20 at 14; a scale that underflows to 0 sends ±w to 14 and 0', () => {
    // max 2^-20: s = f16(2^-20 / 7) = 2 × 2^-24 (bits 0x0002); 2^-20 / s = 8 → 15 → clamp 14;
    // 2^-22 → 2 → 9; -2^-20 → -1 → 0.
    const small = quantize(group([2 ** -20, 2 ** -22, -(2 ** -20), 0]), 'q4f16_1');
    expect(small.qScale[0]).toBe(0x0002);
    expect(codesOf(small.qWeight).slice(0, 4)).toEqual([14, 9, 0, 7]);
    // max 2^-24 (the smallest float16): s = f16(2^-24 / 7) = 0; w / 0 = ±inf → 14 and 0; 0 / 0 → 0.
    const tiny = quantize(group([2 ** -24, -(2 ** -24), 0]), 'q4f16_1');
    expect(tiny.qScale[0]).toBe(0);
    expect(codesOf(tiny.qWeight).slice(0, 4)).toEqual([14, 0, 0, 0]);
  });

  it('q4f32_1 keeps tiny groups float16 would flush: 2^-24 has scale 2^-24 / 7', () => {
    const { qWeight, qScale } = quantize(group([2 ** -24, -(2 ** -24), 0]), 'q4f32_1');
    // fround(2^-24 / 7) = 0x32124925: the lower half 0x4925 is under 0x8000, so bf16 0x3212.
    expect(qScale[0]).toBe(0x3212);
    expect(codesOf(qWeight).slice(0, 3)).toEqual([14, 0, 7]);
  });

  it('refuses rows that are not whole groups', () => {
    expect(() => quantize(new Uint16Array(48), 'q4f16_1', 48)).toThrow(/groups of 32/);
  });
});

/** A million bf16 weights: realistic groups, wide-range groups, subnormal groups, tie-rich groups. */
function hostileWeights(count: number, seed: number): Uint16Array {
  const random = seededRandom(seed);
  const out = new Uint16Array(count);
  for (let start = 0; start < count; start += 32) {
    const kind = Math.floor(random() * 5);
    const tieScale = 2 ** Math.floor(random() * 10 - 8);
    for (let i = start; i < start + 32; i += 1) {
      let bits: number;
      if (kind === 0) bits = toBf16Bits((random() + random() + random() - 1.5) * 0.05);
      else if (kind === 1)
        bits = Math.floor(random() * 0x10000) & 0xc7ff; // exponents up to ~2^16: float16 overflow and underflow
      else if (kind === 2)
        bits = toBf16Bits((random() - 0.5) * 2 ** -(14 + Math.floor(random() * 12)));
      else if (kind === 3)
        bits = toBf16Bits((Math.floor(random() * 29) - 14) * 0.5 * tieScale); // many exact halves
      else bits = Math.floor(random() * 0x10000);
      const exponent = (bits >>> 7) & 0xff;
      out[i] = exponent === 0xff ? bits & 0x807f : bits; // no NaN or inf in a checkpoint
    }
  }
  return out;
}

/** The reference is tests/support/convert/referenceQuantizer.ts, written on @petamoriken/float16. */
describe(
  'the converter agrees bit for bit with an independent reference',
  { timeout: 120_000 },
  () => {
    for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
      it(`${quantization}: a million hostile bf16 weights`, () => {
        const weights = hostileWeights(1 << 20, quantization === 'q4f16_1' ? 7 : 8);
        const cols = 256;
        const { qWeight, qScale } = quantizeBf16Block({
          quantization,
          bf16: weights,
          rows: weights.length / cols,
          cols,
        });
        const reference = referenceQuantize(weights, quantization);
        const codes = codesOf(qWeight);
        let codeMismatches = 0;
        for (let i = 0; i < codes.length; i += 1)
          if (codes[i] !== reference.codes[i]) codeMismatches += 1;
        let scaleMismatches = 0;
        for (let i = 0; i < qScale.length; i += 1)
          if (qScale[i] !== reference.scales[i]) scaleMismatches += 1;
        expect({ codeMismatches, scaleMismatches }).toEqual({
          codeMismatches: 0,
          scaleMismatches: 0,
        });
      });
    }
  },
);

describe('round trip', () => {
  for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
    it(`${quantization}: |w − (c − 7)·s| ≤ s/2 plus rounding slack, codes in [0, 14]`, () => {
      const random = seededRandom(11);
      const weights = Uint16Array.from({ length: 32 * 4096 }, () =>
        toBf16Bits((random() + random() + random() - 1.5) * 0.05 * (1 + 20 * random() ** 8)),
      );
      const { qWeight, qScale } = quantizeBf16Block({
        quantization,
        bf16: weights,
        rows: 4096,
        cols: 32,
      });
      const codes = codesOf(qWeight);
      const view = new DataView(new ArrayBuffer(4));
      let worst = 0;
      let outOfRange = 0;
      let outOfBound = 0;
      for (let i = 0; i < weights.length; i += 1) {
        const g = Math.floor(i / 32);
        // The scale the model library reads back: float16, or float32 stored as bf16.
        let stored: number;
        if (quantization === 'q4f16_1') {
          view.setUint16(0, qScale[g] as number, true);
          stored = getFloat16(view, 0, true);
        } else {
          stored = bf16ToNumber(qScale[g] as number);
        }
        const w =
          quantization === 'q4f16_1'
            ? f16round(bf16ToNumber(weights[i] as number))
            : bf16ToNumber(weights[i] as number);
        const code = codes[i] as number;
        if (code < 0 || code > 14) outOfRange += 1;
        // float16: t and t + 7 rounded to 11 bits; q4f32_1 adds the bf16 scale's error, 7 × 2^-9 × s.
        const slack = quantization === 'q4f16_1' ? 1 / 64 : 7 / 512 + 1e-6;
        const error = Math.abs(w - (code - 7) * stored);
        worst = Math.max(worst, error / stored);
        if (error > stored * (0.5 + slack)) outOfBound += 1;
      }
      expect({ outOfRange, outOfBound }).toEqual({ outOfRange: 0, outOfBound: 0 });
      expect(worst).toBeGreaterThan(0.45); // the bound is tight, not vacuous
    });
  }
});
