const f32 = Math.fround;

/**
 * `query · row` in float32 with four running sums (lane j adds the products k ≡ j mod 4, in order),
 * then (lane 0 + lane 1) + (lane 2 + lane 3): exactly what a 128-bit SIMD float32 kernel computes,
 * so scores (and ties) do not depend on whether the machine has SIMD. Each step is rounded to
 * float32; a float64 sum or product of two float32 values rounded once to float32 is the float32
 * result, as float64 has more than twice float32's precision.
 */
export function laneDot(
  rows: Float32Array,
  offset: number,
  query: Float32Array,
  dimensions: number,
): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let k = 0;
  for (; k + 3 < dimensions; k += 4) {
    a = f32(a + f32(rows[offset + k]! * query[k]!));
    b = f32(b + f32(rows[offset + k + 1]! * query[k + 1]!));
    c = f32(c + f32(rows[offset + k + 2]! * query[k + 2]!));
    d = f32(d + f32(rows[offset + k + 3]! * query[k + 3]!));
  }
  if (k < dimensions) a = f32(a + f32(rows[offset + k]! * query[k]!));
  if (k + 1 < dimensions) b = f32(b + f32(rows[offset + k + 1]! * query[k + 1]!));
  if (k + 2 < dimensions) c = f32(c + f32(rows[offset + k + 2]! * query[k + 2]!));
  return f32(f32(a + b) + f32(c + d));
}
