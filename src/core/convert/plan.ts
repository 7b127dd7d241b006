import { codesPerWord, groupSize, modelDtypeOf } from './quantize';
import { expectedTensors, mlcParamOrder, mlcParams, sortedLoadingOrder } from './qwen3Layout';
import type {
  MlcOutputPlan,
  MlcQuantization,
  MlcRecordPlan,
  MlcShardPlan,
  Qwen3Config,
} from './types';

/** `tvmjs.dump_tensor_cache`'s default shard cap (32 MiB). */
export const shardCapBytes = 32 * 1024 * 1024;

export interface PlanOptions {
  /** Source tensor names in the checkpoint's loading order (`Checkpoint.loadingOrder`). */
  loadingOrder?: readonly string[];
  /** Weights in the checkpoint's files (`Checkpoint.totalParams`), for BitsPerParam. */
  totalParams?: number;
  /** tvmjs's `shard_cap_mb`; 32 MiB as mlc-llm uses it. Smaller caps let tests cover the rules. */
  shardCapBytes?: number;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

type UnplacedRecord = Omit<MlcRecordPlan, 'byteOffset'>;

/**
 * The whole MLC output, without reading a weight: every record's name, shape, dtype and size in
 * mlc-llm's parameter order, placed into shards exactly as `tvmjs.dump_tensor_cache` places them
 * (a record that would take the pending shard to 32 MiB or more closes it, unless the record is
 * 16 MiB or more: then it gets a shard of its own, numbered before the pending one).
 * Without `loadingOrder`, the order of a single-file checkpoint is assumed.
 */
export function planMlcOutput(
  config: Qwen3Config,
  quantization: MlcQuantization,
  options: PlanOptions = {},
): MlcOutputPlan {
  const dtype = modelDtypeOf(quantization);
  const itemBytes = dtype === 'float16' ? 2 : 4;
  const order = mlcParamOrder(
    mlcParams(config),
    options.loadingOrder ?? sortedLoadingOrder(config),
  );

  const records: UnplacedRecord[] = [];
  for (const param of order) {
    const sources = { tensors: param.sources, rows: param.rows, cols: param.cols };
    if (!param.quantized) {
      // Stored as float16, or as float32 written in bf16 bytes: two bytes a weight either way.
      records.push({
        name: param.name,
        shape: [param.cols],
        dtype,
        format: 'f32-to-bf16',
        nbytes: param.cols * 2,
        source: { kind: 'norm', ...sources },
      });
      continue;
    }
    const rows = param.rows.reduce((a, b) => a + b, 0);
    const base = param.name.replace(/\.weight$/, '');
    records.push(
      {
        name: `${base}.q_weight`,
        shape: [rows, param.cols / codesPerWord],
        dtype: 'uint32',
        format: 'f32-to-bf16',
        nbytes: (rows * param.cols) / 2,
        source: { kind: 'q_weight', ...sources, sibling: `${base}.q_scale` },
      },
      {
        name: `${base}.q_scale`,
        shape: [rows, param.cols / groupSize],
        dtype,
        format: 'f32-to-bf16',
        nbytes: (rows * param.cols * 2) / groupSize,
        source: { kind: 'q_scale', ...sources, sibling: `${base}.q_weight` },
      },
    );
  }

  const shards = placeInShards(records, options.shardCapBytes ?? shardCapBytes);
  const paramBytes = records.reduce(
    (sum, record) =>
      sum +
      product(record.shape) *
        (record.dtype === 'float16' ? 2 : record.dtype === 'uint32' ? 4 : itemBytes),
    0,
  );
  const totalParams =
    options.totalParams ??
    expectedTensors(config).reduce((sum, tensor) => sum + product(tensor.shape), 0);
  return {
    quantization,
    config,
    shards,
    metadata: {
      ParamSize: records.length,
      ParamBytes: paramBytes,
      BitsPerParam: (paramBytes * 8) / totalParams,
    },
    totalBytes: shards.reduce((sum, shard) => sum + shard.nbytes, 0),
    recordCount: records.length,
  };
}

function placeInShards(records: UnplacedRecord[], cap: number): MlcShardPlan[] {
  const shards: MlcRecordPlan[][] = [];
  let pending: MlcRecordPlan[] = [];
  let pendingBytes = 0;
  for (const record of records) {
    if (pendingBytes + record.nbytes >= cap) {
      if (record.nbytes * 2 >= cap) {
        shards.push([{ ...record, byteOffset: 0 }]);
        continue;
      }
      if (pendingBytes !== 0) shards.push(pending);
      pending = [];
      pendingBytes = 0;
    }
    pending.push({ ...record, byteOffset: pendingBytes });
    pendingBytes += record.nbytes;
  }
  if (pendingBytes !== 0) shards.push(pending);

  const shardOf = new Map<string, number>();
  shards.forEach((shard, index) => shard.forEach((record) => shardOf.set(record.name, index)));
  return shards.map((shardRecords, index) => ({
    dataPath: `params_shard_${index}.bin`,
    nbytes: shardRecords.reduce((sum, record) => sum + record.nbytes, 0),
    records: shardRecords,
    sourceBytes: shardRecords.reduce((sum, record) => {
      const sibling = record.source.sibling;
      // A q_scale whose q_weight sits in an earlier shard was computed with it; in the same
      // shard, the pair is read once.
      if (
        record.source.kind === 'q_scale' &&
        sibling !== undefined &&
        (shardOf.get(sibling) ?? index) <= index
      ) {
        return sum;
      }
      return sum + record.source.rows.reduce((a, b) => a + b, 0) * record.source.cols * 2;
    }, 0),
  }));
}
