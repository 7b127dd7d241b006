import { concatBytes } from '../concatBytes';
import { bf16ToFloat16Bits } from './float16';
import { createMd5 } from './hashes';
import { quantizeBf16Block } from './quantize';
import type {
  CheckpointSource,
  ConvertedShard,
  ConvertShardOptions,
  MlcOutputPlan,
  MlcRecordPlan,
  QuantizedBlock,
} from './types';

const maxReadBytes = 64 * 1024 * 1024;
const defaultReadBytes = 8 * 1024 * 1024;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // safetensors and MLC shards are little-endian; typed arrays use the host's byte order.
  throw new Error('The MLC converter needs a little-endian host.');
}

const asBytes = (array: Uint16Array | Uint32Array) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

function asBf16(bytes: Uint8Array): Uint16Array {
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
}

/**
 * Converts one output shard: reads its records' source rows in blocks (never more than 64 MiB at
 * once), quantizes them and hands the shard's bytes to `write` in order. Returns the shard's md5.
 * A q_scale whose q_weight is in an earlier shard comes from `options.siblings` when that shard
 * was converted in the same session; otherwise its sources are read again.
 */
export async function convertShardTo(
  plan: MlcOutputPlan,
  shardIndex: number,
  source: CheckpointSource,
  write: (chunk: Uint8Array) => void | Promise<void>,
  options: ConvertShardOptions = {},
): Promise<ConvertedShard> {
  const shard = plan.shards[shardIndex];
  if (!shard)
    throw new Error(`The plan has ${plan.shards.length} shards; there is no shard ${shardIndex}.`);
  const quantize = options.quantizeBlock ?? quantizeBf16Block;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const readBytes = Math.min(maxReadBytes, Math.max(1, options.readBlockBytes ?? defaultReadBytes));
  const siblings = options.siblings ?? new Map<string, Uint8Array>();
  const { signal, onProgress } = options;
  const md5 = await createMd5();

  const names = new Set(shard.records.map((record) => record.name));
  // A q_scale is computed with its q_weight, which comes first when both are in this shard.
  const needsReading = (record: MlcRecordPlan) =>
    !siblings.has(record.name) &&
    !(record.source.kind === 'q_scale' && names.has(record.source.sibling ?? ''));
  const sourceBytesOf = (record: MlcRecordPlan) =>
    record.source.rows.reduce((a, b) => a + b, 0) * record.source.cols * 2;
  const progress = {
    shardIndex,
    bytesRead: 0,
    bytesTotal: shard.records
      .filter(needsReading)
      .reduce((sum, record) => sum + sourceBytesOf(record), 0),
    tensorsDone: 0,
    tensorsTotal: shard.records.length,
  };
  let written = 0;
  const emit = async (bytes: Uint8Array) => {
    md5.update(bytes);
    written += bytes.byteLength;
    await write(bytes);
  };

  /** Reads a record's sources block by block and quantizes them, keeping blocks in order. */
  async function* quantizedBlocks(record: MlcRecordPlan): AsyncGenerator<QuantizedBlock> {
    const { cols } = record.source;
    const rowsPerBlock = Math.max(1, Math.floor(readBytes / (cols * 2)));
    const inFlight: Promise<QuantizedBlock>[] = [];
    for (const [index, name] of record.source.tensors.entries()) {
      const tensor = sourceTensor(source, name, record.source.rows[index] as number, cols);
      const rows = record.source.rows[index] as number;
      for (let row = 0; row < rows; row += rowsPerBlock) {
        signal?.throwIfAborted();
        const blockRows = Math.min(rowsPerBlock, rows - row);
        const start = tensor.start + row * cols * 2;
        const bytes = await source.reader.read(
          tensor.file,
          start,
          start + blockRows * cols * 2,
          signal,
        );
        if (bytes.byteLength !== blockRows * cols * 2) {
          throw new Error(
            `${tensor.file} ended early: ${name} rows ${row}–${row + blockRows} are cut off.`,
          );
        }
        progress.bytesRead += bytes.byteLength;
        // A synchronous quantizer that throws becomes a rejected block, like a worker's error.
        const quantized = Promise.resolve().then(() =>
          quantize({ quantization: plan.quantization, bf16: asBf16(bytes), rows: blockRows, cols }),
        );
        // Blocks left behind by an abort or an earlier failure must not become unhandled
        // rejections; the ones still awaited below report their error there.
        quantized.catch(() => undefined);
        inFlight.push(quantized);
        if (inFlight.length >= concurrency) {
          yield await (inFlight.shift() as Promise<QuantizedBlock>);
          onProgress?.({ ...progress });
        }
      }
    }
    while (inFlight.length > 0) yield await (inFlight.shift() as Promise<QuantizedBlock>);
  }

  for (const record of shard.records) {
    signal?.throwIfAborted();
    const known = siblings.get(record.name);
    if (known) {
      siblings.delete(record.name);
      await emit(known);
    } else if (record.source.kind === 'norm') {
      const tensor = sourceTensor(
        source,
        record.source.tensors[0] as string,
        1,
        record.source.cols,
      );
      const bytes = await source.reader.read(tensor.file, tensor.start, tensor.end, signal);
      if (bytes.byteLength !== tensor.end - tensor.start)
        throw new Error(`${tensor.file} ended early inside ${tensor.name}.`);
      progress.bytesRead += bytes.byteLength;
      await emit(plan.quantization === 'q4f16_1' ? normToFloat16(bytes) : bytes.slice());
    } else {
      // Compute the pair; emit this record's half and keep the other for later.
      // (A q_scale lands here only when its q_weight's shard was converted in another session.)
      const scales: Uint8Array[] = [];
      const wantWeight = record.source.kind === 'q_weight';
      for await (const block of quantizedBlocks(record)) {
        if (wantWeight) await emit(asBytes(block.qWeight));
        scales.push(asBytes(block.qScale));
      }
      const sibling = record.source.sibling as string;
      if (wantWeight) siblings.set(sibling, concatBytes(scales));
      else await emit(concatBytes(scales));
    }
    progress.tensorsDone += 1;
    onProgress?.({ ...progress });
  }
  if (written !== shard.nbytes) {
    throw new Error(`${shard.dataPath}: wrote ${written} bytes, the plan says ${shard.nbytes}.`);
  }
  return { dataPath: shard.dataPath, nbytes: shard.nbytes, md5: md5.digest() };
}

/** Converts one output shard into memory: its bytes and md5. */
export async function convertShard(
  plan: MlcOutputPlan,
  shardIndex: number,
  source: CheckpointSource,
  options: ConvertShardOptions = {},
): Promise<ConvertedShard & { bytes: Uint8Array }> {
  const shard = plan.shards[shardIndex];
  if (!shard)
    throw new Error(`The plan has ${plan.shards.length} shards; there is no shard ${shardIndex}.`);
  const bytes = new Uint8Array(shard.nbytes);
  let offset = 0;
  const result = await convertShardTo(
    plan,
    shardIndex,
    source,
    (chunk) => {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    },
    options,
  );
  return { ...result, bytes };
}

function sourceTensor(source: CheckpointSource, name: string, rows: number, cols: number) {
  const tensor = source.tensors[name];
  if (!tensor) throw new Error(`The checkpoint has no tensor ${name}.`);
  if (tensor.dtype !== 'BF16')
    throw new Error(`${name} is ${tensor.dtype}; only BF16 is converted.`);
  const elements = tensor.shape.reduce((a, b) => a * b, 1);
  if (elements !== rows * cols || tensor.end - tensor.start !== elements * 2) {
    throw new Error(
      `${name} has shape [${tensor.shape.join(', ')}]; the plan needs ${rows} × ${cols}.`,
    );
  }
  return tensor;
}

function normToFloat16(bytes: Uint8Array): Uint8Array {
  const table = bf16ToFloat16Bits();
  const input = asBf16(bytes);
  const output = new Uint16Array(input.length);
  for (let i = 0; i < input.length; i += 1) output[i] = table[input[i] as number] as number;
  return asBytes(output);
}
