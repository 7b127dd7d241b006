/**
 * Dot products of one query with many int8 rows, in WebAssembly with 128-bit SIMD: eight int8 × int16
 * products per instruction, exact in 32-bit integers. The rows are a quarter of the float32 rows'
 * bytes, and reading them is what the meaning route waits for. The module is 201 bytes, assembled
 * with wabt's wat2wasm from this text (dimensions must be a multiple of 8):
 *
 * ```wat
 * (module
 *   (import "env" "memory" (memory 1))
 *   (func (export "dots") (param $rows i32) (param $query i32) (param $count i32) (param $dims i32) (param $out i32)
 *     (local $end i32) (local $k i32) (local $acc v128)
 *     (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
 *     (block $done
 *       (loop $row
 *         (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
 *         (local.set $acc (v128.const i32x4 0 0 0 0))
 *         (local.set $k (i32.const 0))
 *         (loop $inner
 *           (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s
 *             (v128.load8x8_s (i32.add (local.get $rows) (local.get $k)))
 *             (v128.load (i32.add (local.get $query) (i32.shl (local.get $k) (i32.const 1)))))))
 *           (local.set $k (i32.add (local.get $k) (i32.const 8)))
 *           (br_if $inner (i32.lt_u (local.get $k) (local.get $dims))))
 *         (i32.store (local.get $out) (i32.add
 *           (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
 *           (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
 *         (local.set $rows (i32.add (local.get $rows) (local.get $dims)))
 *         (local.set $out (i32.add (local.get $out) (i32.const 4)))
 *         (br $row)))))
 * ```
 */
const DOTS_WASM_BASE64 =
  'AGFzbQEAAAABCQFgBX9/f39/AAIPAQNlbnYGbWVtb3J5AgABAwIBAAcIAQRkb3RzAAAKlAEBkQECAn8BeyAEIAJBAnRqIQUCQANAIAQgBU8NAf0MAAAAAAAAAAAAAAAAAAAAACEHQQAhBgNAIAcgACAGav0BAwAgASAGQQF0av0ABAD9ugH9rgEhByAGQQhqIQYgBiADSQ0ACyAEIAf9GwAgB/0bAWogB/0bAiAH/RsDamo2AgAgACADaiEAIARBBGohBAwACwsL';

type DotsFunction = (rows: number, query: number, count: number, dims: number, out: number) => void;

const PAGE = 65_536;
/** Rows scored per kernel call; their products go to a fixed area after the query. */
export const KERNEL_CHUNK_ROWS = 4096;

let compiled: WebAssembly.Module | null | undefined;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Int8 rows in WebAssembly memory, where the kernel reads them. Layout: the int16 query, the
 * products of one chunk, then the rows.
 */
export class Int8DotKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly dots: DotsFunction;
  private readonly productsOffset: number;
  private readonly rowsOffset: number;
  private capacity = 0;
  /** The rows (`dimensions` bytes each); made again when the memory grows. */
  rows: Int8Array;

  private constructor(
    private readonly dimensions: number,
    module: WebAssembly.Module,
  ) {
    this.productsOffset = Math.ceil((dimensions * 2) / 16) * 16;
    this.rowsOffset = this.productsOffset + KERNEL_CHUNK_ROWS * 4;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(this.rowsOffset / PAGE) + 1 });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.dots = instance.exports.dots as DotsFunction;
    this.rows = new Int8Array(0);
  }

  /**
   * The kernel, or null where WebAssembly SIMD is unavailable or the dimensions are not a multiple
   * of 8. Compiled synchronously: the module is far below the browsers' 4 KB limit for synchronous
   * compilation on the main thread.
   */
  static create(dimensions: number): Int8DotKernel | null {
    if (dimensions % 8 !== 0 || dimensions === 0) return null;
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(
          decodeBase64(DOTS_WASM_BASE64) as Uint8Array<ArrayBuffer>,
        );
      } catch {
        compiled = null;
      }
    }
    if (compiled === null) return null;
    try {
      return new Int8DotKernel(dimensions, compiled);
    } catch {
      return null;
    }
  }

  ensure(capacity: number): void {
    if (capacity <= this.capacity) return;
    const bytes = this.rowsOffset + capacity * this.dimensions;
    const needed = Math.ceil(bytes / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (needed > 0) this.memory.grow(needed);
    // Growing detaches the old buffer: the view is made again.
    this.rows = new Int8Array(this.memory.buffer, this.rowsOffset, capacity * this.dimensions);
    this.capacity = capacity;
  }

  setQuery(query: Int16Array): void {
    new Int16Array(this.memory.buffer, 0, this.dimensions).set(query);
  }

  /** Products of the query with rows `start … start + count − 1` (count ≤ the chunk size). */
  products(start: number, count: number): Int32Array {
    this.dots(
      this.rowsOffset + start * this.dimensions,
      0,
      count,
      this.dimensions,
      this.productsOffset,
    );
    return new Int32Array(this.memory.buffer, this.productsOffset, count);
  }
}
