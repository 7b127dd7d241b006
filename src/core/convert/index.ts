/**
 * The MLC converter: a Hugging Face Qwen3 checkpoint (bf16 safetensors) to the weights, tensor
 * cache and chat config that WebLLM's prebuilt Qwen3-4B library loads. Pure TypeScript: the CLI
 * runs it in Node, the app in workers. See docs/model-conversion.md.
 */
export {
  buildMlcChatConfig,
  defaultContextWindowSize,
  prefillChunkSize,
  tokenizerFileNames,
} from './chatConfig';
export { convertibleCheckpoint, inspectCheckpoint } from './checkpoint';
export { convertShard, convertShardTo } from './convertShard';
export { CheckpointFileMissingError, CheckpointRefusedError } from './errors';
export { createMd5, createSha256, md5Hex } from './hashes';
export type { IncrementalHash } from './hashes';
export { planMlcOutput, shardCapBytes } from './plan';
export type { PlanOptions } from './plan';
export { groupSize, modelDtypeOf, quantizeBf16Block } from './quantize';
export { checkQwen3_4BShape, parseQwen3Config, qwen3_4BShape } from './qwen3Config';
export { buildTensorCacheJson } from './tensorCache';
export { mlcQuantizations } from './types';
export type * from './types';
