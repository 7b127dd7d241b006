type NumberArray = Int32Array | Uint8Array | Float32Array | Float64Array;

/**
 * A typed array of the same kind, `size` long, starting with `values`; the places after them hold
 * `fill` (0 unless given). What each growing buffer calls when it is full.
 */
export function grownArray<T extends NumberArray>(values: T, size: number, fill = 0): T {
  const fresh = new (values.constructor as new (length: number) => T)(size);
  if (fill !== 0) fresh.fill(fill, values.length);
  fresh.set(values);
  return fresh;
}
