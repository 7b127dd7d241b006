/** Reads an MLC weight folder's tensors back, for the tests: tensor-cache.json + shard bytes. */
import type { MlcQuantization, TensorCacheJson } from '../../../src/core/convert';

import { dequantizeMlc, storedValue } from './referenceQuantizer';
import type { Qwen3Weights } from './qwen3Forward';

export interface MlcTensor {
  shape: number[];
  dtype: string;
  bytes: Uint8Array;
}

export function mlcTensors(
  cache: TensorCacheJson,
  shards: Map<string, Uint8Array>,
): Map<string, MlcTensor> {
  const tensors = new Map<string, MlcTensor>();
  for (const shard of cache.records) {
    const bytes = shards.get(shard.dataPath);
    if (!bytes) throw new Error(`missing ${shard.dataPath}`);
    for (const record of shard.records) {
      tensors.set(record.name, {
        shape: record.shape,
        dtype: record.dtype,
        bytes: bytes.slice(record.byteOffset, record.byteOffset + record.nbytes),
      });
    }
  }
  return tensors;
}

const u32 = (bytes: Uint8Array) =>
  new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
const u16 = (bytes: Uint8Array) =>
  new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);

/** How the fused MLC tensors are split back into q|k|v and gate|up; a wrong order is for tests. */
export interface SplitOrder {
  attention: ('q' | 'k' | 'v')[];
  mlp: ('gate' | 'up')[];
}
export const mlcSplitOrder: SplitOrder = { attention: ['q', 'k', 'v'], mlp: ['gate', 'up'] };

export function dequantizedQwen3(
  tensors: Map<string, MlcTensor>,
  quantization: MlcQuantization,
  dims: {
    num_hidden_layers: number;
    num_attention_heads: number;
    num_key_value_heads: number;
    head_dim: number;
    intermediate_size: number;
  },
  order: SplitOrder = mlcSplitOrder,
): Qwen3Weights {
  const get = (name: string) => {
    const tensor = tensors.get(name);
    if (!tensor) throw new Error(`no MLC tensor ${name}`);
    return tensor;
  };
  const matrix = (base: string) => {
    const weight = get(`${base}.q_weight`);
    return {
      values: dequantizeMlc(u32(weight.bytes), u16(get(`${base}.q_scale`).bytes), quantization),
      cols: (weight.shape[1] as number) * 8,
    };
  };
  const norm = (name: string) =>
    Float64Array.from(u16(get(name).bytes), (bits) => storedValue(bits, quantization));
  const split = <T extends string>(values: Float64Array, cols: number, parts: [T, number][]) => {
    const out = {} as Record<T, Float64Array>;
    let row = 0;
    for (const [name, rows] of parts) {
      out[name] = values.slice(row * cols, (row + rows) * cols);
      row += rows;
    }
    return out;
  };
  const qRows = dims.num_attention_heads * dims.head_dim;
  const kvRows = dims.num_key_value_heads * dims.head_dim;
  const rowsOf = {
    q: qRows,
    k: kvRows,
    v: kvRows,
    gate: dims.intermediate_size,
    up: dims.intermediate_size,
  };
  return {
    embed: matrix('model.embed_tokens').values,
    norm: norm('model.norm.weight'),
    layers: Array.from({ length: dims.num_hidden_layers }, (_, i) => {
      const p = `model.layers.${i}`;
      const attn = matrix(`${p}.self_attn.c_attn`);
      const mlp = matrix(`${p}.mlp.gate_up_proj`);
      const qkv = split(
        attn.values,
        attn.cols,
        order.attention.map((part) => [part, rowsOf[part]]),
      );
      const gateUp = split(
        mlp.values,
        mlp.cols,
        order.mlp.map((part) => [part, rowsOf[part]]),
      );
      return {
        inputNorm: norm(`${p}.input_layernorm.weight`),
        ...qkv,
        o: matrix(`${p}.self_attn.o_proj`).values,
        qNorm: norm(`${p}.self_attn.q_norm.weight`),
        kNorm: norm(`${p}.self_attn.k_norm.weight`),
        postNorm: norm(`${p}.post_attention_layernorm.weight`),
        ...gateUp,
        down: matrix(`${p}.mlp.down_proj`).values,
      };
    }),
  };
}
