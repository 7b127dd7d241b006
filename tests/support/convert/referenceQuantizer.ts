/**
 * An independent reference for mlc-llm's q4f16_1 / q4f32_1 group quantization, written for the
 * tests on @petamoriken/float16's rounding (not on the converter's code), plus dequantization.
 */
import { f16round, getFloat16, setFloat16 } from '@petamoriken/float16';

import type { MlcQuantization } from '../../../src/core/convert';

export function bf16ToNumber(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint16(0, bits); // big-endian: the upper half of a float32
  return view.getFloat32(0);
}

export function roundHalfToEven(x: number): number {
  if (Number.isNaN(x) || !Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The value a model-dtype tensor holds for a bf16 weight. */
export function modelValue(bits: number, quantization: MlcQuantization): number {
  const value = bf16ToNumber(bits);
  return quantization === 'q4f16_1' ? f16round(value) : value;
}

export function referenceScaleBits(scale: number, quantization: MlcQuantization): number {
  const view = new DataView(new ArrayBuffer(4));
  if (quantization === 'q4f16_1') {
    setFloat16(view, 0, scale);
    return view.getUint16(0);
  }
  view.setFloat32(0, scale);
  const bits = view.getUint32(0);
  const limit = 3.3895313892515355e38; // bf16's largest finite value
  if (!(Math.abs(scale) < limit)) return bits >>> 16;
  return Math.floor((bits + 0x7fff + ((bits >>> 16) & 1)) / 65536) & 0xffff;
}

/** A scale or norm weight as the model library reads it back from its stored bits. */
export function storedValue(bits: number, quantization: MlcQuantization): number {
  if (quantization === 'q4f32_1') return bf16ToNumber(bits);
  const view = new DataView(new ArrayBuffer(2));
  view.setUint16(0, bits);
  return getFloat16(view, 0);
}

/** Codes (one per weight) and scale bits (one per group of 32 along the rows). */
export function referenceQuantize(bits: Uint16Array, quantization: MlcQuantization) {
  const round = quantization === 'q4f16_1' ? f16round : Math.fround;
  const codes: number[] = [];
  const scales: number[] = [];
  for (let start = 0; start < bits.length; start += 32) {
    const values = Array.from(bits.subarray(start, start + 32), (b) => round(bf16ToNumber(b)));
    const scale = round(Math.max(...values.map(Math.abs)) / 7);
    scales.push(referenceScaleBits(scale, quantization));
    for (const value of values) {
      const code = roundHalfToEven(round(round(value / scale) + 7));
      codes.push(Number.isNaN(code) ? 0 : Math.min(14, Math.max(0, code)));
    }
  }
  return { codes, scales };
}

/** Quantize with the reference, then dequantize as the model library does: (c − 7) · s. */
export function referenceRoundTrip(bits: Uint16Array, quantization: MlcQuantization): Float64Array {
  const { codes, scales } = referenceQuantize(bits, quantization);
  return Float64Array.from(
    codes,
    (code, i) => (code - 7) * storedValue(scales[i >> 5] as number, quantization),
  );
}

/** Dequantizes an MLC q_weight [N, K/8] uint32 and q_scale [N, K/32] pair into N × K values. */
export function dequantizeMlc(
  qWeight: Uint32Array,
  qScale: Uint16Array,
  quantization: MlcQuantization,
): Float64Array {
  const out = new Float64Array(qWeight.length * 8);
  for (let i = 0; i < out.length; i += 1) {
    const code = ((qWeight[i >> 3] as number) >>> ((i & 7) * 4)) & 15;
    out[i] = (code - 7) * storedValue(qScale[i >> 5] as number, quantization);
  }
  return out;
}
