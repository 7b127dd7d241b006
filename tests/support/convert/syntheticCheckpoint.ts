import { seededRandom } from '../../../src/core/seededRandom';

export { seededRandom };
/**
 * A tiny Qwen3 checkpoint, made in memory from a seed: config.json, bf16 safetensors split over
 * several files with model.safetensors.index.json (as Hugging Face writes them: weight_map sorted
 * by name), and a small tokenizer.json. The converter's unit tests, the CLI test and the browser
 * test serve or write these same bytes.
 */

export interface SyntheticCheckpointOptions {
  seed?: number;
  /** Weight files to split the tensors over (1 writes a single model.safetensors). */
  files?: number;
  /** Overrides of config.json. */
  config?: Record<string, unknown>;
  /** How every weight is stored; the converter accepts BF16 only. */
  dtype?: 'BF16' | 'F16' | 'F32';
  /** `same`: an lm_head.weight equal to the embedding; `different`: a separate head. */
  lmHead?: 'none' | 'same' | 'different';
}

export interface SyntheticCheckpoint {
  /** File name → bytes, ready to write to a folder or to serve. */
  files: Map<string, Uint8Array>;
  config: Record<string, unknown>;
  /** Tensor name → bf16 bit patterns (before any F16/F32 re-encoding). */
  weights: Map<string, { shape: number[]; bf16: Uint16Array }>;
}

/** Qwen3's layout at toy size: GQA (4 query heads, 2 KV heads), q/k norms, tied head. */
export const tinyQwen3Config = {
  architectures: ['Qwen3ForCausalLM'],
  model_type: 'qwen3',
  hidden_size: 64,
  intermediate_size: 96,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 32,
  vocab_size: 80,
  max_position_embeddings: 512,
  tie_word_embeddings: true,
  attention_bias: false,
  hidden_act: 'silu',
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  rope_scaling: null,
  torch_dtype: 'bfloat16',
  bos_token_id: 1,
  eos_token_id: 2,
} as const;

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
/** float32 → bf16 by truncation: good enough to make test weights. */
export function toBf16Bits(value: number): number {
  f32[0] = value;
  return (f32Bits[0] as number) >>> 16;
}
export function bf16BitsToNumber(bits: number): number {
  f32Bits[0] = (bits & 0xffff) << 16;
  return f32[0] as number;
}

function tensorShapes(config: Record<string, number>): [string, number[]][] {
  const hidden = config.hidden_size as number;
  const inter = config.intermediate_size as number;
  const headDim = config.head_dim as number;
  const qRows = (config.num_attention_heads as number) * headDim;
  const kvRows = (config.num_key_value_heads as number) * headDim;
  const shapes: [string, number[]][] = [
    ['model.embed_tokens.weight', [config.vocab_size as number, hidden]],
  ];
  for (let layer = 0; layer < (config.num_hidden_layers as number); layer += 1) {
    const p = `model.layers.${layer}`;
    shapes.push(
      [`${p}.input_layernorm.weight`, [hidden]],
      [`${p}.self_attn.q_proj.weight`, [qRows, hidden]],
      [`${p}.self_attn.k_proj.weight`, [kvRows, hidden]],
      [`${p}.self_attn.v_proj.weight`, [kvRows, hidden]],
      [`${p}.self_attn.o_proj.weight`, [hidden, qRows]],
      [`${p}.self_attn.q_norm.weight`, [headDim]],
      [`${p}.self_attn.k_norm.weight`, [headDim]],
      [`${p}.post_attention_layernorm.weight`, [hidden]],
      [`${p}.mlp.gate_proj.weight`, [inter, hidden]],
      [`${p}.mlp.up_proj.weight`, [inter, hidden]],
      [`${p}.mlp.down_proj.weight`, [hidden, inter]],
    );
  }
  shapes.push(['model.norm.weight', [hidden]]);
  return shapes;
}

/** A safetensors file: 8-byte header length, JSON header, then the tensors' bytes in order. */
export function safetensorsBytes(
  tensors: { name: string; dtype: string; shape: number[]; bytes: Uint8Array }[],
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const tensor of tensors) {
    header[tensor.name] = {
      dtype: tensor.dtype,
      shape: tensor.shape,
      data_offsets: [offset, offset + tensor.bytes.byteLength],
    };
    offset += tensor.bytes.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.byteLength;
  for (const tensor of tensors) {
    out.set(tensor.bytes, position);
    position += tensor.bytes.byteLength;
  }
  return out;
}

function encode(bf16: Uint16Array, dtype: 'BF16' | 'F16' | 'F32'): Uint8Array {
  if (dtype === 'BF16') return new Uint8Array(bf16.buffer.slice(0));
  if (dtype === 'F32') {
    const values = Float32Array.from(bf16, (bits) => bf16BitsToNumber(bits));
    return new Uint8Array(values.buffer);
  }
  // F16: values this small and this coarse are exact in float16 except subnormal corners.
  const out = new Uint16Array(bf16.length);
  const view = new DataView(out.buffer);
  bf16.forEach((bits, i) => view.setUint16(i * 2, halfBits(bf16BitsToNumber(bits)), true));
  return new Uint8Array(out.buffer);
}

function halfBits(value: number): number {
  const sign = value < 0 ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude < 2 ** -14) return sign | Math.round(magnitude * 2 ** 24);
  const exponent = Math.floor(Math.log2(magnitude));
  return (
    sign | ((exponent + 15) << 10) | (Math.round((magnitude / 2 ** exponent - 1) * 1024) & 0x3ff)
  );
}

export const syntheticTokenizerJson = JSON.stringify({
  version: '1.0',
  model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: [] },
});

export function syntheticQwen3Checkpoint(
  options: SyntheticCheckpointOptions = {},
): SyntheticCheckpoint {
  const random = seededRandom(options.seed ?? 1);
  const config = { ...tinyQwen3Config, ...options.config } as Record<string, unknown>;
  const dtype = options.dtype ?? 'BF16';
  const weights = new Map<string, { shape: number[]; bf16: Uint16Array }>();
  const shapes = tensorShapes(config as Record<string, number>);
  if (options.lmHead && options.lmHead !== 'none') {
    shapes.push(['lm_head.weight', [config.vocab_size as number, config.hidden_size as number]]);
  }
  for (const [name, shape] of shapes) {
    const count = shape.reduce((a, b) => a * b, 1);
    const bf16 = new Uint16Array(count);
    const isNorm = shape.length === 1;
    if (name === 'lm_head.weight' && options.lmHead === 'same') {
      bf16.set((weights.get('model.embed_tokens.weight') as { bf16: Uint16Array }).bf16);
    } else {
      for (let i = 0; i < count; i += 1) {
        // Roughly normal weights; norms near 1 as trained models have them.
        const gaussian = (random() + random() + random() - 1.5) * 2;
        bf16[i] = toBf16Bits(isNorm ? 1 + 0.2 * gaussian : 0.08 * gaussian);
      }
    }
    weights.set(name, { shape, bf16 });
  }

  const fileCount = Math.max(1, options.files ?? 3);
  const names = [...weights.keys()];
  const perFile = Math.ceil(names.length / fileCount);
  const files = new Map<string, Uint8Array>();
  const weightMap: Record<string, string> = {};
  for (let index = 0; index < fileCount; index += 1) {
    const fileName =
      fileCount === 1
        ? 'model.safetensors'
        : `model-${String(index + 1).padStart(5, '0')}-of-${String(fileCount).padStart(5, '0')}.safetensors`;
    const chunk = names.slice(index * perFile, (index + 1) * perFile);
    files.set(
      fileName,
      safetensorsBytes(
        chunk.map((name) => {
          const weight = weights.get(name) as { shape: number[]; bf16: Uint16Array };
          weightMap[name] = fileName;
          return { name, dtype, shape: weight.shape, bytes: encode(weight.bf16, dtype) };
        }),
      ),
    );
  }
  if (fileCount > 1) {
    const sorted = Object.fromEntries(
      Object.entries(weightMap).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    files.set(
      'model.safetensors.index.json',
      new TextEncoder().encode(
        JSON.stringify({ metadata: { total_size: 0 }, weight_map: sorted }, null, 2),
      ),
    );
  }
  files.set('config.json', new TextEncoder().encode(JSON.stringify(config, null, 2)));
  files.set('tokenizer.json', new TextEncoder().encode(syntheticTokenizerJson));
  files.set(
    'tokenizer_config.json',
    new TextEncoder().encode(JSON.stringify({ model_max_length: 512 })),
  );
  return { files, config, weights };
}
