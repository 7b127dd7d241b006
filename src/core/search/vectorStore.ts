import { grownArray } from '../grownArray';
import { Int8DotKernel } from './dotKernel';
import { laneDot } from './laneDot';

/**
 * The meaning route's vectors: one row of `dimensions` float32 numbers per index slot, and beside
 * it, where WebAssembly SIMD is present, an int8 copy in WebAssembly memory for the kernel. The
 * int8 copy only narrows the search (`meaningCandidates`): every score reported is the float32
 * one (`exactScore`), so rankings are those of the float32 vectors.
 *
 * Per row, for the int8 copy's error bound: its scale (largest |x| / 127), the norm of what
 * rounding lost ‖x − x̃‖ (Infinity for a row holding NaN or ±Infinity: always rescored), ‖x̃‖
 * and ‖x‖.
 */
export class VectorStore {
  readonly dimensions: number;
  /** 1 where a slot's vector is set. */
  filled: Uint8Array;
  /** How many slots hold a vector. */
  count = 0;
  readonly kernel: Int8DotKernel | null;
  scales: Float64Array;
  residuals: Float64Array;
  quantizedNorms: Float64Array;
  norms: Float64Array;
  private capacity: number;
  private rows: Float32Array;

  constructor(dimensions: number, capacity: number) {
    this.dimensions = dimensions;
    this.capacity = Math.max(16, capacity);
    this.kernel = Int8DotKernel.create(dimensions);
    this.kernel?.ensure(this.capacity);
    this.filled = new Uint8Array(this.capacity);
    this.rows = new Float32Array(this.capacity * dimensions);
    this.scales = new Float64Array(this.capacity);
    this.residuals = new Float64Array(this.capacity);
    this.quantizedNorms = new Float64Array(this.capacity);
    this.norms = new Float64Array(this.capacity);
  }

  /** Whether the SIMD kernel narrows the search (else every row is scored in JavaScript). */
  get simd(): boolean {
    return this.kernel !== null;
  }

  ensure(slots: number): void {
    if (slots <= this.capacity) return;
    const capacity = Math.max(slots, this.capacity * 2);
    this.rows = grownArray(this.rows, capacity * this.dimensions);
    this.filled = grownArray(this.filled, capacity);
    this.scales = grownArray(this.scales, capacity);
    this.residuals = grownArray(this.residuals, capacity);
    this.quantizedNorms = grownArray(this.quantizedNorms, capacity);
    this.norms = grownArray(this.norms, capacity);
    this.kernel?.ensure(capacity);
    this.capacity = capacity;
  }

  /** A view of one row; valid until the store grows. */
  row(slot: number): Float32Array {
    return this.rows.subarray(slot * this.dimensions, (slot + 1) * this.dimensions);
  }

  set(slot: number, vector: Float32Array): void {
    this.ensure(slot + 1);
    const { dimensions } = this;
    const offset = slot * dimensions;
    this.rows.set(vector, offset);
    if (!this.filled[slot]) this.count += 1;
    this.filled[slot] = 1;
    if (this.kernel) this.quantize(slot, this.rows.subarray(offset, offset + dimensions));
  }

  /** Writes the row's int8 copy and its error terms. */
  private quantize(slot: number, row: Float32Array): void {
    const ints = this.kernel!.rows;
    const offset = slot * this.dimensions;
    let largest = 0;
    for (let k = 0; k < row.length; k++) largest = Math.max(largest, Math.abs(row[k]!));
    const scale = largest / 127;
    const inverse = scale === 0 || !Number.isFinite(scale) ? 0 : 1 / scale;
    let lost = 0;
    let kept = 0;
    let whole = 0;
    for (let k = 0; k < row.length; k++) {
      const value = row[k]!;
      const int = Math.round(value * inverse);
      ints[offset + k] = int;
      const back = int * scale;
      lost += (value - back) ** 2;
      kept += back * back;
      whole += value * value;
    }
    if (!Number.isFinite(whole)) {
      this.residuals[slot] = Infinity;
      return;
    }
    this.scales[slot] = scale;
    this.residuals[slot] = Math.sqrt(lost);
    this.quantizedNorms[slot] = Math.sqrt(kept);
    this.norms[slot] = Math.sqrt(whole);
  }

  unset(slot: number): void {
    if (slot >= this.capacity || !this.filled[slot]) return;
    this.filled[slot] = 0;
    this.count -= 1;
  }

  clear(): void {
    this.filled.fill(0);
    this.count = 0;
  }

  /** `query · row` in float32, as a SIMD float32 kernel sums it (see `laneDot`). */
  exactScore(slot: number, query: Float32Array): number {
    return laneDot(this.rows, slot * this.dimensions, query, this.dimensions);
  }

  /** Calls `visit(slot, query · row)` for every filled slot below `slots`. */
  score(query: Float32Array, slots: number, visit: (slot: number, score: number) => void): void {
    const rows = Math.min(slots, this.capacity);
    for (let slot = 0; slot < rows; slot++) {
      if (this.filled[slot]) visit(slot, this.exactScore(slot, query));
    }
  }
}
