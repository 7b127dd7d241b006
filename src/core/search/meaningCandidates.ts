import { KERNEL_CHUNK_ROWS } from './dotKernel';
import type { VectorStore } from './vectorStore';

/** The query's int16 copy and what its rounding lost. */
interface QuantizedQuery {
  ints: Int16Array;
  scale: number;
  /** ‖q‖ and ‖q − q̃‖ */
  norm: number;
  error: number;
}

/**
 * The query in int16, as large as keeps every int8 × int16 sum within 32 bits:
 * 128 · limit · dimensions < 2³¹.
 */
function quantizeQuery(query: Float32Array): QuantizedQuery | null {
  const limit = Math.min(32_767, Math.floor((2 ** 31 - 1) / (128 * query.length)));
  let largest = 0;
  for (const value of query) largest = Math.max(largest, Math.abs(value));
  if (!Number.isFinite(largest)) return null;
  const scale = largest / limit;
  const ints = new Int16Array(query.length);
  let norm = 0;
  let error = 0;
  for (let k = 0; k < query.length; k++) {
    const value = query[k]!;
    ints[k] = scale === 0 ? 0 : Math.round(value / scale);
    norm += value * value;
    error += (value - ints[k]! * scale) ** 2;
  }
  return { ints, scale, norm: Math.sqrt(norm), error: Math.sqrt(error) };
}

/**
 * The slots whose float32 score could be among the `k` best, found through the int8 copies: for a
 * row x and query q, the int8 product x̃·q̃ is within ‖q‖‖x − x̃‖ + ‖q − q̃‖‖x̃‖ of q·x, and the
 * float32 sum within (dimensions/4 + 4) · 2⁻²⁴ · ‖q‖‖x‖ of it (doubled here). A slot is kept while
 * its upper bound reaches the k-th best lower bound: every slot of the float32 top k is among them,
 * ties included, so rescoring them gives the float32 ranking exactly. Null without the kernel (or
 * with a query holding NaN): then every slot is scored.
 */
export function meaningCandidates(
  store: VectorStore,
  query: Float32Array,
  slots: number,
  k: number,
): number[] | null {
  const { kernel, filled, scales, residuals, quantizedNorms, norms, dimensions } = store;
  if (kernel === null || k <= 0 || query.length !== dimensions) return null;
  const quantized = quantizeQuery(query);
  if (quantized === null) return null;
  kernel.setQuery(quantized.ints);
  const rounding = (Math.ceil(dimensions / 4) + 4) * 2 ** -23 * quantized.norm;
  // The k best lower bounds so far, best first; the last is the bar to reach.
  const lowers = new Float64Array(k).fill(-Infinity);
  const kept: number[] = [];
  const uppers: number[] = [];
  const rows = Math.min(slots, filled.length);
  for (let start = 0; start < rows; start += KERNEL_CHUNK_ROWS) {
    const count = Math.min(KERNEL_CHUNK_ROWS, rows - start);
    const products = kernel.products(start, count);
    for (let i = 0; i < count; i++) {
      const slot = start + i;
      if (!filled[slot]) continue;
      const residual = residuals[slot]!;
      if (residual === Infinity) {
        kept.push(slot);
        uppers.push(Infinity);
        continue;
      }
      const approximate = products[i]! * scales[slot]! * quantized.scale;
      const margin =
        quantized.norm * residual +
        quantized.error * quantizedNorms[slot]! +
        rounding * norms[slot]! +
        1e-12;
      const upper = approximate + margin;
      if (upper < lowers[k - 1]!) continue;
      kept.push(slot);
      uppers.push(upper);
      const lower = approximate - margin;
      if (lower <= lowers[k - 1]!) continue;
      let at = k - 1;
      while (at > 0 && lowers[at - 1]! < lower) {
        lowers[at] = lowers[at - 1]!;
        at -= 1;
      }
      lowers[at] = lower;
    }
  }
  const bar = lowers[k - 1]!;
  return kept.filter((_, i) => uppers[i]! >= bar);
}
