import type { Qwen3Config } from './types';

/** A tensor of a Hugging Face Qwen3 checkpoint the converter reads. */
export interface ExpectedTensor {
  name: string;
  shape: [number] | [number, number];
}

/** One MLC parameter before quantization: source tensors stacked by rows, in this order. */
export interface MlcParam {
  /** mlc-llm's name, e.g. `model.layers.0.self_attn.c_attn.weight`. */
  name: string;
  sources: string[];
  rows: number[];
  cols: number;
  /** Linear layers and the embedding are quantized; norms stay in the model dtype. */
  quantized: boolean;
}

/** Every tensor a tied Qwen3 checkpoint must hold, with its shape. */
export function expectedTensors(config: Qwen3Config): ExpectedTensor[] {
  const { hidden_size: hidden, intermediate_size: inter, head_dim: headDim } = config;
  const qRows = config.num_attention_heads * headDim;
  const kvRows = config.num_key_value_heads * headDim;
  const tensors: ExpectedTensor[] = [
    { name: 'model.embed_tokens.weight', shape: [config.vocab_size, hidden] },
  ];
  for (let layer = 0; layer < config.num_hidden_layers; layer += 1) {
    const prefix = `model.layers.${layer}`;
    tensors.push(
      { name: `${prefix}.input_layernorm.weight`, shape: [hidden] },
      { name: `${prefix}.self_attn.q_proj.weight`, shape: [qRows, hidden] },
      { name: `${prefix}.self_attn.k_proj.weight`, shape: [kvRows, hidden] },
      { name: `${prefix}.self_attn.v_proj.weight`, shape: [kvRows, hidden] },
      { name: `${prefix}.self_attn.o_proj.weight`, shape: [hidden, qRows] },
      { name: `${prefix}.self_attn.q_norm.weight`, shape: [headDim] },
      { name: `${prefix}.self_attn.k_norm.weight`, shape: [headDim] },
      { name: `${prefix}.post_attention_layernorm.weight`, shape: [hidden] },
      { name: `${prefix}.mlp.gate_proj.weight`, shape: [inter, hidden] },
      { name: `${prefix}.mlp.up_proj.weight`, shape: [inter, hidden] },
      { name: `${prefix}.mlp.down_proj.weight`, shape: [hidden, inter] },
    );
  }
  tensors.push({ name: 'model.norm.weight', shape: [hidden] });
  return tensors;
}

/**
 * MLC's Qwen3 parameters (mlc-llm `qwen3_loader.py`): `c_attn` = rows of q_proj, k_proj, v_proj;
 * `gate_up_proj` = rows of gate_proj, up_proj; everything else one to one. No `lm_head` (tied).
 */
export function mlcParams(config: Qwen3Config): MlcParam[] {
  const byName = new Map(expectedTensors(config).map((tensor) => [tensor.name, tensor]));
  const rowsOf = (name: string) => (byName.get(name)?.shape[0] ?? 0) as number;
  const colsOf = (name: string) => {
    const shape = byName.get(name)?.shape ?? [0];
    return shape[shape.length - 1] as number;
  };
  const fused = (name: string, sources: string[]): MlcParam => ({
    name,
    sources,
    rows: sources.map(rowsOf),
    cols: colsOf(sources[0] as string),
    quantized: true,
  });
  const single = (name: string, quantized: boolean): MlcParam => ({
    name,
    sources: [name],
    rows: [quantized ? rowsOf(name) : 1],
    cols: colsOf(name),
    quantized,
  });

  const params: MlcParam[] = [single('model.embed_tokens.weight', true)];
  for (let layer = 0; layer < config.num_hidden_layers; layer += 1) {
    const attn = `model.layers.${layer}.self_attn`;
    const mlp = `model.layers.${layer}.mlp`;
    params.push(
      fused(`${attn}.c_attn.weight`, [
        `${attn}.q_proj.weight`,
        `${attn}.k_proj.weight`,
        `${attn}.v_proj.weight`,
      ]),
      single(`${attn}.o_proj.weight`, true),
      single(`${attn}.q_norm.weight`, false),
      single(`${attn}.k_norm.weight`, false),
      fused(`${mlp}.gate_up_proj.weight`, [`${mlp}.gate_proj.weight`, `${mlp}.up_proj.weight`]),
      single(`${mlp}.down_proj.weight`, true),
      single(`model.layers.${layer}.input_layernorm.weight`, false),
      single(`model.layers.${layer}.post_attention_layernorm.weight`, false),
    );
  }
  params.push(single('model.norm.weight', false));
  return params;
}

/**
 * The loading order of a single-file checkpoint: safetensors lists its tensors sorted by name
 * (so layer 10 comes before layer 2), and mlc-llm's loader follows that list.
 */
export function sortedLoadingOrder(config: Qwen3Config): string[] {
  return expectedTensors(config)
    .map((tensor) => tensor.name)
    .sort();
}

/**
 * mlc-llm's parameter order (`_loading_order` in its Hugging Face loader): walk the source tensors
 * in loading order and emit each MLC parameter the first time one of its sources comes up. This
 * order decides the byte layout of the shards.
 */
export function mlcParamOrder(params: MlcParam[], loadingOrder: readonly string[]): MlcParam[] {
  const bySource = new Map<string, MlcParam>();
  for (const param of params) for (const source of param.sources) bySource.set(source, param);
  const ordered = new Set<MlcParam>();
  for (const source of loadingOrder) {
    const param = bySource.get(source);
    if (param) ordered.add(param);
  }
  const missing = params.filter((param) => !ordered.has(param));
  if (missing.length > 0) {
    throw new Error(
      `The loading order lacks ${missing.map((param) => param.sources[0]).join(', ')}.`,
    );
  }
  return [...ordered];
}
