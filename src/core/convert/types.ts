/**
 * The converter's public types: a Hugging Face Qwen3 checkpoint (bf16 safetensors) in, an MLC
 * weight folder (`params_shard_*.bin`, `tensor-cache.json`, `mlc-chat-config.json`) out. The same
 * code runs in Node (the CLI) and in browser workers (the app); only the `CheckpointReader` differs.
 */

/** The two quantizations WebLLM's prebuilt Qwen3-4B library exists for. */
export type MlcQuantization = 'q4f16_1' | 'q4f32_1';

export const mlcQuantizations: readonly MlcQuantization[] = ['q4f16_1', 'q4f32_1'];

/**
 * Reads a checkpoint's files by byte range, so the browser can use single-range GET requests and
 * Node can use file handles. `file` is a path relative to the checkpoint root (e.g.
 * `model-00001-of-00002.safetensors`). A reader rejects with `CheckpointFileMissingError` when a
 * file does not exist, so the converter can name the missing file.
 */
export interface CheckpointReader {
  readText(file: string): Promise<string>;
  size(file: string): Promise<number>;
  /** Bytes [start, endExclusive); the converter never asks for more than 64 MiB at once. */
  read(
    file: string,
    start: number,
    endExclusive: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array>;
}

/** The `config.json` fields the converter and the MLC chat config use, validated. */
export interface Qwen3Config {
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
  tie_word_embeddings: boolean;
  attention_bias: boolean;
  hidden_act: string;
  rms_norm_eps: number;
  rope_theta: number;
  rope_scaling: unknown;
  max_position_embeddings: number;
  /** The checkpoint's own `config.json`, as parsed, for fields copied into the chat config. */
  raw: Readonly<Record<string, unknown>>;
}

/** A reason a checkpoint cannot be converted (or run on the prebuilt library), naming the field. */
export interface CheckpointRefusal {
  /** The config field, tensor or file the refusal is about, e.g. `hidden_size`, `lm_head.weight`. */
  field: string;
  message: string;
}

/** Safetensors dtypes as the header spells them; only BF16 is converted. */
export type SafetensorsDtype = string;

/** One tensor of the checkpoint: where its bytes are and what they hold. */
export interface SourceTensor {
  name: string;
  file: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Absolute byte range in `file` (header included in the offset), end exclusive. */
  start: number;
  end: number;
}

export type SourceTensorIndex = Readonly<Record<string, SourceTensor>>;

/** A checkpoint that passed inspection: everything needed to plan and convert it. */
export interface Checkpoint {
  config: Qwen3Config;
  tensors: SourceTensorIndex;
  /** Weight files in the order mlc-llm's loader visits them (first appearance in the index). */
  files: { name: string; size: number }[];
  /** Source tensor names in mlc-llm's loading order: by file, then as the index lists them. */
  loadingOrder: string[];
  /** Number of weights in all weight files (mlc-llm's `total_param_num`, for BitsPerParam). */
  totalParams: number;
}

export type CheckpointInspection =
  | { convertible: true; checkpoint: Checkpoint; refusals: [] }
  | { convertible: false; config?: Qwen3Config; refusals: CheckpointRefusal[] };

/** dtypes of MLC records; float32 records are stored as bf16 bytes (format `f32-to-bf16`). */
export type MlcDtype = 'uint32' | 'float16' | 'float32';

/** Where an MLC record's values come from: source tensors stacked by rows, in this order. */
export interface MlcRecordSource {
  kind: 'q_weight' | 'q_scale' | 'norm';
  /** Source tensor names, concatenated along rows (q|k|v, gate|up) before quantizing. */
  tensors: string[];
  /** Rows each source tensor contributes (same order as `tensors`). */
  rows: number[];
  /** Length of the last axis of the source tensors (K). */
  cols: number;
  /** The other half of a quantized pair (q_weight ↔ q_scale), computed from the same sources. */
  sibling?: string;
}

/** One tensor record of `tensor-cache.json`. */
export interface TensorCacheRecord {
  name: string;
  shape: number[];
  dtype: MlcDtype;
  format: 'f32-to-bf16';
  nbytes: number;
  byteOffset: number;
}

/** One tensor record of `tensor-cache.json`, plus where its values come from. */
export interface MlcRecordPlan extends TensorCacheRecord {
  source: MlcRecordSource;
}

export interface MlcShardPlan {
  dataPath: string;
  nbytes: number;
  records: MlcRecordPlan[];
  /** Source bytes this shard's records read (siblings computed earlier are not read again). */
  sourceBytes: number;
}

/** The whole output, known before any weight is read. */
export interface MlcOutputPlan {
  quantization: MlcQuantization;
  config: Qwen3Config;
  shards: MlcShardPlan[];
  metadata: { ParamSize: number; ParamBytes: number; BitsPerParam: number };
  /** Sum of all shards' bytes. */
  totalBytes: number;
  /** Number of records. */
  recordCount: number;
}

/** A block of bf16 rows handed to the quantizer (a pure function, so workers can run it). */
export interface Bf16Block {
  quantization: MlcQuantization;
  /** bf16 bit patterns, row-major, `rows × cols`. */
  bf16: Uint16Array;
  rows: number;
  cols: number;
}

/** Bytes ready for disk: 8 codes per uint32, and the scales as float16 or bf16 bit patterns. */
export interface QuantizedBlock {
  qWeight: Uint32Array;
  qScale: Uint16Array;
}

export type QuantizeBlock = (block: Bf16Block) => QuantizedBlock | Promise<QuantizedBlock>;

export interface ConvertProgress {
  shardIndex: number;
  /** Source bytes read so far in this call, and the bytes this call will read in all. */
  bytesRead: number;
  bytesTotal: number;
  /** Records of this shard finished, and its record count. */
  tensorsDone: number;
  tensorsTotal: number;
}

export interface ConvertShardOptions {
  /** Defaults to the inline quantizer; pass one that posts to workers to use all cores. */
  quantizeBlock?: QuantizeBlock;
  /** How many blocks may be quantizing at once (use the worker count); default 1. */
  concurrency?: number;
  /** Bytes of source rows read per request (at most 64 MiB); default 8 MiB. */
  readBlockBytes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ConvertProgress) => void;
  /**
   * Records computed as the sibling of a record of an earlier shard (a q_scale whose q_weight
   * stands alone), so converting shards in order never reads a source twice. Pass the same map
   * to every call; entries are removed once used.
   */
  siblings?: Map<string, Uint8Array>;
}

/** One output shard: its bytes (for `convertShard`) and the md5 `tensor-cache.json` records. */
export interface ConvertedShard {
  dataPath: string;
  nbytes: number;
  md5: string;
}

/** The checkpoint as `convertShard` reads it. */
export interface CheckpointSource {
  reader: CheckpointReader;
  tensors: SourceTensorIndex;
}

/** `tensor-cache.json` exactly as TVM's `tvmjs.dump_tensor_cache` writes it. */
export interface TensorCacheJson {
  metadata: { ParamSize: number; ParamBytes: number; BitsPerParam: number };
  records: {
    dataPath: string;
    format: 'raw-shard';
    nbytes: number;
    records: TensorCacheRecord[];
    md5sum: string;
  }[];
}

export interface MlcChatConfigOptions {
  /** Default 8192 (the app's default context); the library allows up to 40960. */
  contextWindowSize?: number;
  /** Tokenizer files the output folder holds; must include `tokenizer.json`. */
  tokenizerFiles: string[];
}
