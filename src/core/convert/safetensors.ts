import type { CheckpointReader, SourceTensor } from './types';

/** A header larger than this is not a model's: refuse it rather than read it into memory. */
const maxHeaderBytes = 100 * 1024 * 1024;

export interface SafetensorsHeader {
  tensors: SourceTensor[];
  /** Where the tensor data ends (8 + header length + the largest end offset). */
  dataEnd: number;
}

/**
 * Reads one safetensors file's header: an 8-byte little-endian length, then that many bytes of
 * JSON naming each tensor's dtype, shape and byte range relative to the data after the header.
 * Throws with the file's name when the header is damaged.
 */
export async function readSafetensorsHeader(
  reader: CheckpointReader,
  file: string,
  fileSize: number,
  signal?: AbortSignal,
): Promise<SafetensorsHeader> {
  if (fileSize < 8)
    throw new Error(`${file} is ${fileSize} bytes long: too short for safetensors.`);
  const prefix = await reader.read(file, 0, 8, signal);
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > maxHeaderBytes || 8 + headerLength > fileSize) {
    throw new Error(
      `${file} is not a whole safetensors file: its header claims ${headerLength} bytes, the file has ${fileSize}.`,
    );
  }
  const headerBytes = await reader.read(file, 8, 8 + headerLength, signal);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(headerBytes));
  } catch {
    throw new Error(`${file} has a safetensors header that is not JSON.`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new Error(`${file} has a safetensors header that is not a JSON object.`);
  }
  const dataStart = 8 + headerLength;
  const tensors: SourceTensor[] = [];
  let dataEnd = dataStart;
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const tensor = tensorEntry(file, name, entry, dataStart);
    tensors.push(tensor);
    dataEnd = Math.max(dataEnd, tensor.end);
  }
  return { tensors, dataEnd };
}

function tensorEntry(file: string, name: string, entry: unknown, dataStart: number): SourceTensor {
  const fail = (what: string) => new Error(`${file}: tensor "${name}" has ${what}.`);
  if (typeof entry !== 'object' || entry === null) throw fail('no header entry');
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string') throw fail('no dtype');
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw fail('a malformed shape');
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((n) => Number.isSafeInteger(n) && n >= 0) ||
    offsets[1] < offsets[0]
  ) {
    throw fail('malformed data_offsets');
  }
  return {
    name,
    file,
    dtype,
    shape: shape as number[],
    start: dataStart + (offsets[0] as number),
    end: dataStart + (offsets[1] as number),
  };
}

/** Bytes per element of the safetensors dtypes a Qwen3 checkpoint may use. */
export const safetensorsDtypeBytes: Readonly<Record<string, number>> = {
  BF16: 2,
  F16: 2,
  F32: 4,
  F64: 8,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I8: 1,
  U8: 1,
  I32: 4,
  I64: 8,
};
