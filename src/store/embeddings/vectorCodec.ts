/**
 * How a memory's vector is kept in IndexedDB. `int8`: a float32 scale (the largest magnitude / 127)
 * then one signed byte per dimension, 388 bytes for 384 dimensions; `float32`: the numbers as they
 * are, 1,536 bytes. The byte length tells them apart, so a database may hold both while the choice
 * changes. Docs: docs/search.md, "Vectors in the browser".
 */
export type VectorEncoding = 'int8' | 'float32';

const SCALE_BYTES = 4;

export function encodedBytes(dimensions: number, encoding: VectorEncoding): number {
  return encoding === 'int8' ? SCALE_BYTES + dimensions : dimensions * 4;
}

export function encodeVector(vector: Float32Array, encoding: VectorEncoding): ArrayBuffer {
  if (encoding === 'float32') return vector.slice().buffer;
  let largest = 0;
  for (const value of vector) largest = Math.max(largest, Math.abs(value));
  const scale = largest === 0 ? 1 : largest / 127;
  const buffer = new ArrayBuffer(SCALE_BYTES + vector.length);
  new DataView(buffer).setFloat32(0, scale, true);
  const codes = new Int8Array(buffer, SCALE_BYTES);
  for (let i = 0; i < vector.length; i++) codes[i] = Math.round(vector[i]! / scale);
  return buffer;
}

/**
 * The vector back as float32, L2-normalised again (quantization moves its length a little, and
 * the meaning route reads dot products as cosines). Throws on a buffer of another length.
 */
export function decodeVector(buffer: ArrayBuffer, dimensions: number): Float32Array {
  if (buffer.byteLength === dimensions * 4) return new Float32Array(buffer.slice(0));
  if (buffer.byteLength !== SCALE_BYTES + dimensions) {
    throw new RangeError(
      `a stored vector of ${buffer.byteLength} bytes does not hold ${dimensions} dimensions`,
    );
  }
  const codes = new Int8Array(buffer, SCALE_BYTES);
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    vector[i] = codes[i]!;
    norm += codes[i]! * codes[i]!;
  }
  const inverse = norm === 0 ? 0 : 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = vector[i]! * inverse;
  return vector;
}
