import type { MlcOutputPlan, TensorCacheJson } from './types';

/**
 * `tensor-cache.json` with the keys, order and values `tvmjs.dump_tensor_cache` writes, given
 * each shard's md5 (hex) in shard order.
 */
export function buildTensorCacheJson(
  plan: MlcOutputPlan,
  shardMd5s: readonly string[],
): TensorCacheJson {
  if (shardMd5s.length !== plan.shards.length) {
    throw new Error(
      `${plan.shards.length} shards need ${plan.shards.length} md5 sums, not ${shardMd5s.length}.`,
    );
  }
  return {
    metadata: { ...plan.metadata },
    records: plan.shards.map((shard, index) => ({
      dataPath: shard.dataPath,
      format: 'raw-shard',
      nbytes: shard.nbytes,
      records: shard.records.map((record) => ({
        name: record.name,
        shape: [...record.shape],
        dtype: record.dtype,
        format: record.format,
        nbytes: record.nbytes,
        byteOffset: record.byteOffset,
      })),
      md5sum: shardMd5s[index] as string,
    })),
  };
}
