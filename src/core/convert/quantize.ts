import {
  bf16ToFloat16Bits,
  bf16ToModelValue,
  float16Bits,
  float16Value,
  float32ToBf16Bits,
} from './float16';
import type { Bf16Block, MlcQuantization, QuantizedBlock } from './types';

/** mlc-llm's group quantization for both builds: int4 codes, 32 per group, 8 per uint32. */
export const groupSize = 32;
export const codesPerWord = 8;
const maxInt = 7;

export function modelDtypeOf(quantization: MlcQuantization): 'float16' | 'float32' {
  return quantization === 'q4f16_1' ? 'float16' : 'float32';
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
/** 1.5 × 2^52 × (float16 quantum of binade e): adding and subtracting it rounds to that quantum. */
const halfMagic = new Float64Array(2048);
for (let biased = 0; biased < 2048; biased += 1) {
  halfMagic[biased] = 1.5 * 2 ** 52 * 2 ** (Math.max(biased - 1023, -14) - 10);
}
const integerMagic = 1.5 * 2 ** 52;

/**
 * One group's code in float16 as TVM computes it: t = f16(w / s), u = f16(t + 7), then round to
 * the nearest integer with ties to even, then clamp to [0, 14] (NaN, from 0 / 0, becomes 0).
 */
function float16Code(quotient: number): number {
  let t = quotient;
  scratch[0] = t;
  let biased = ((scratchWords[1] as number) >>> 20) & 0x7ff;
  if (biased < 1023 + 16) {
    const magic = halfMagic[biased] as number;
    t = t + magic - magic;
  } else if (biased !== 0x7ff) {
    t = t > 0 ? Infinity : -Infinity;
  }
  let u = t + maxInt;
  scratch[0] = u;
  biased = ((scratchWords[1] as number) >>> 20) & 0x7ff;
  if (biased < 1023 + 16) {
    const magic = halfMagic[biased] as number;
    u = u + magic - magic;
  }
  // u > 65504 after rounding only when it is already far above 14: the clamp below covers it.
  const code = u + integerMagic - integerMagic;
  if (code >= 14) return 14;
  if (code > 0) return code;
  return 0; // also NaN
}

/** The same in float32: every operation rounded to float32. */
function float32Code(quotient: number): number {
  const t = Math.fround(quotient);
  const u = Math.fround(t + maxInt);
  const code = u + integerMagic - integerMagic;
  if (code >= 14) return 14;
  if (code > 0) return code;
  return 0;
}

/**
 * Both codes above are non-decreasing functions of the float64 quotient w / s (every step rounds
 * monotonically), so they are fully described by 14 thresholds: code ≥ k + 1 exactly when the
 * quotient ≥ thresholds[k]. Found once by bisection over float64 values with the step-by-step
 * functions; the hot loop then needs a floor and one or two comparisons per weight.
 */
function codeThresholds(code: (quotient: number) => number): Float64Array {
  const thresholds = new Float64Array(14);
  for (let k = 0; k < 14; k += 1) {
    let low = k - 6.5 - 0.25; // code(low) ≤ k
    let high = k - 6.5 + 0.25; // code(high) ≥ k + 1
    if (code(low) > k || code(high) < k + 1)
      throw new Error('quantization thresholds out of range');
    for (;;) {
      const middle = low + (high - low) / 2;
      if (middle === low || middle === high) break; // adjacent float64 values
      if (code(middle) >= k + 1) high = middle;
      else low = middle;
    }
    thresholds[k] = high;
  }
  return thresholds;
}

const float16Thresholds = codeThresholds(float16Code);
const float32Thresholds = codeThresholds(float32Code);

/** The code of quotient t from the thresholds: round t + 7 to an integer, then correct by one. */
function thresholdCode(t: number, thresholds: Float64Array): number {
  const shifted = t + 7.5;
  // NaN (0 / 0) fails every comparison and ends at 0, as TVM's clamp leaves it.
  let code = shifted >= 14 ? 14 : shifted >= 1 ? shifted | 0 : 0;
  if (code > 0 && t < (thresholds[code - 1] as number)) code -= 1;
  else if (code < 14 && t >= (thresholds[code] as number)) code += 1;
  return code;
}

/**
 * Quantizes bf16 rows along the last axis exactly as mlc-llm's `GroupQuantize` (q4f16_1,
 * q4f32_1) does on TVM: weights cast to the model dtype, scale = max|w| / 7, code =
 * clamp(round(w / scale + 7), 0, 14), eight codes per little-endian uint32 with element 0 in the
 * lowest nibble. Scales come back as float16 bits (q4f16_1) or as the bf16 bits that `tvmjs`
 * stores for float32 (q4f32_1). A pure function: workers can run it.
 */
export function quantizeBf16Block(block: Bf16Block): QuantizedBlock {
  const { bf16, rows, cols, quantization } = block;
  if (cols % groupSize !== 0) {
    throw new Error(`A row of ${cols} weights is not a whole number of groups of ${groupSize}.`);
  }
  if (bf16.length !== rows * cols) {
    throw new Error(`A block of ${rows} × ${cols} weights holds ${bf16.length} values.`);
  }
  const groups = (rows * cols) / groupSize;
  const qWeight = new Uint32Array((rows * cols) / codesPerWord);
  const qScale = new Uint16Array(groups);
  const tables = quantization === 'q4f16_1' ? float16DtypeTables() : float32DtypeTables();
  quantizeGroups(bf16, groups, qWeight, qScale, tables);
  return { qWeight, qScale };
}

/**
 * What one model dtype needs in the hot loop, built once: each bf16 input's value in the model
 * dtype, its magnitude key (the model-dtype bits without the sign, which grow with |w|, so a
 * group's maximum is found on them), the scale f(max|w| / 7) for each key as a value and as the
 * bits stored, and the code thresholds. Per group there is then no rounding work at all.
 */
interface DtypeTables {
  toModel: Float32Array;
  magnitudeOf: Uint16Array;
  scaleValue: Float64Array;
  scaleBits: Uint16Array;
  thresholds: Float64Array;
}

let float16Tables: DtypeTables | undefined;
function float16DtypeTables(): DtypeTables {
  if (!float16Tables) {
    const toBits = bf16ToFloat16Bits();
    const magnitudeOf = new Uint16Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits += 1) {
      magnitudeOf[bits] = (toBits[bits] as number) & 0x7fff;
    }
    const scaleValue = new Float64Array(0x8000);
    const scaleBits = new Uint16Array(0x8000);
    for (let magnitude = 0; magnitude < 0x8000; magnitude += 1) {
      const scale = roundHalf(float16Value(magnitude) / maxInt);
      scaleValue[magnitude] = scale;
      scaleBits[magnitude] = float16Bits(scale);
    }
    const toModel = bf16ToModelValue('float16');
    float16Tables = { toModel, magnitudeOf, scaleValue, scaleBits, thresholds: float16Thresholds };
  }
  return float16Tables;
}

/** The same for float32 (exact for bf16 values): keyed by the bf16 magnitude bits. */
let float32Tables: DtypeTables | undefined;
function float32DtypeTables(): DtypeTables {
  if (!float32Tables) {
    const magnitudeOf = new Uint16Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits += 1) magnitudeOf[bits] = bits & 0x7fff;
    const toModel = bf16ToModelValue('float32');
    const scaleValue = new Float64Array(0x8000);
    const scaleBits = new Uint16Array(0x8000);
    for (let magnitude = 0; magnitude < 0x8000; magnitude += 1) {
      const scale = Math.fround((toModel[magnitude] as number) / maxInt);
      scaleValue[magnitude] = scale;
      scaleBits[magnitude] = float32ToBf16Bits(scale);
    }
    float32Tables = { toModel, magnitudeOf, scaleValue, scaleBits, thresholds: float32Thresholds };
  }
  return float32Tables;
}

function quantizeGroups(
  bf16: Uint16Array,
  groups: number,
  qWeight: Uint32Array,
  qScale: Uint16Array,
  { toModel, magnitudeOf, scaleValue, scaleBits, thresholds }: DtypeTables,
) {
  const values = new Float64Array(groupSize);
  for (let group = 0; group < groups; group += 1) {
    const base = group * groupSize;
    let maxMagnitude = 0;
    for (let i = 0; i < groupSize; i += 1) {
      const bits = bf16[base + i] as number;
      values[i] = toModel[bits] as number;
      const magnitude = magnitudeOf[bits] as number;
      if (magnitude > maxMagnitude) maxMagnitude = magnitude;
    }
    const scale = scaleValue[maxMagnitude] as number;
    qScale[group] = scaleBits[maxMagnitude] as number;
    const wordBase = base / codesPerWord;
    for (let word = 0; word < groupSize / codesPerWord; word += 1) {
      let packed = 0;
      const first = word * codesPerWord;
      for (let nibble = 0; nibble < codesPerWord; nibble += 1) {
        packed |=
          thresholdCode((values[first + nibble] as number) / scale, thresholds) << (nibble * 4);
      }
      qWeight[wordBase + word] = packed >>> 0;
    }
  }
}

function roundHalf(x: number): number {
  scratch[0] = x;
  const biased = ((scratchWords[1] as number) >>> 20) & 0x7ff;
  if (biased === 0x7ff) return x;
  if (biased >= 1023 + 16) return x > 0 ? Infinity : -Infinity;
  const magic = halfMagic[biased] as number;
  const rounded = x + magic - magic;
  if (rounded > 65504) return Infinity;
  return rounded;
}
