/**
 * Number formats the converter rounds to, bit for bit: float16 (round to nearest, ties to even,
 * subnormals kept, overflow to ±inf), bf16 and float32. Node 20 has no `Math.f16round`, so float16
 * rounding is done here on float64 values, which is exact: a float64 result of one operation on
 * float16 (or float32) operands, rounded once more to float16, equals the correctly rounded
 * float16 result (53 ≥ 2 × 11 + 2 bits), which is what TVM computes for each operation.
 */

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/** 1.5 × 2^52 × 2^(e − 10) for each binade e of float16 (e < −14 uses the subnormal quantum). */
const magicByExponent = new Float64Array(2048);
for (let biased = 0; biased < 2048; biased += 1) {
  const exponent = Math.max(biased - 1023, -14);
  magicByExponent[biased] = 1.5 * 2 ** 52 * 2 ** (exponent - 10);
}

/** The float16 value nearest to `x` (ties to even), as a number. */
export function roundToFloat16(x: number): number {
  f64[0] = x;
  const biased = ((f64Words[1] as number) >>> 20) & 0x7ff;
  if (biased === 0x7ff) return x; // NaN and ±inf stay as they are
  if (biased > 1023 + 15) return x > 0 ? Infinity : -Infinity;
  const magic = magicByExponent[biased] as number;
  const rounded = x + magic - magic;
  if (rounded === 0) return x < 0 || Object.is(x, -0) ? -0 : 0; // keep the sign of zero
  // 65520 and above round past the largest float16 (65504).
  if (rounded > 65504) return Infinity;
  if (rounded < -65504) return -Infinity;
  return rounded;
}

/** float16 bit pattern of a value that is already a float16 value (or ±inf, NaN). */
export function float16Bits(value: number): number {
  if (value !== value) return 0x7e00;
  f64[0] = value;
  const high = f64Words[1] as number;
  const sign = (high >>> 16) & 0x8000;
  const exponent = ((high >>> 20) & 0x7ff) - 1023;
  if (exponent > 15) return sign | 0x7c00; // ±inf
  if (exponent < -14) return sign | Math.round((value < 0 ? -value : value) * 2 ** 24); // subnormal or zero
  // A float16 value's 10 mantissa bits are the top 10 of float64's 52.
  return sign | ((exponent + 15) << 10) | ((high >>> 10) & 0x3ff);
}

/** The value of a float16 bit pattern. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** The value of a bf16 bit pattern (exact as a float32). */
export function bf16Value(bits: number): number {
  f32Bits[0] = (bits & 0xffff) << 16;
  return f32[0] as number;
}

const bf16Limit = bf16Value(0x7f7f); // largest float32 whose upper half is a finite bf16

/**
 * float32 → bf16 as TVM's `tvmjs` stores `f32-to-bf16` records: ties to even inside the bf16
 * range, truncation outside it (and for NaN).
 */
export function float32ToBf16Bits(value: number): number {
  f32[0] = value;
  const data = f32Bits[0] as number;
  const inRange = value < bf16Limit && value > -bf16Limit;
  const bias = inRange ? ((data >>> 16) & 1) + 0x7fff : 0;
  return ((data + bias) >>> 16) & 0xffff;
}

/** bf16 bits → float16 bits for every bf16 pattern (one table, built once). */
let bf16ToFloat16Table: Uint16Array | undefined;
export function bf16ToFloat16Bits(): Uint16Array {
  if (!bf16ToFloat16Table) {
    bf16ToFloat16Table = new Uint16Array(65536);
    for (let bits = 0; bits < 65536; bits += 1) {
      bf16ToFloat16Table[bits] = float16Bits(roundToFloat16(bf16Value(bits)));
    }
  }
  return bf16ToFloat16Table;
}

/** bf16 bits → the value the model dtype holds: the float16 value, or the float32 one. */
const modelValueTables: Partial<Record<'float16' | 'float32', Float32Array>> = {};
export function bf16ToModelValue(dtype: 'float16' | 'float32'): Float32Array {
  let table = modelValueTables[dtype];
  if (!table) {
    table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits += 1) {
      const value = bf16Value(bits);
      table[bits] = dtype === 'float16' ? roundToFloat16(value) : value;
    }
    modelValueTables[dtype] = table;
  }
  return table;
}
