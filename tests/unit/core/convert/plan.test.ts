import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  buildMlcChatConfig,
  buildTensorCacheJson,
  checkQwen3_4BShape,
  parseQwen3Config,
  planMlcOutput,
} from '../../../../src/core/convert';
import type { MlcOutputPlan, Qwen3Config } from '../../../../src/core/convert';
import { checkChatConfig } from '../../../../src/engine/catalog/chatConfig';
import mlcAiQwen3ChatConfig from '../../../support/engineQwen3ChatConfig.json';

const qwen3_4BConfigText = readFileSync(
  new URL('../../../fixtures/convert/qwen3-4b-config.json', import.meta.url),
  'utf8',
);
const qwen3_4B = parseQwen3Config(qwen3_4BConfigText).config as Qwen3Config;
const MiB = 1024 * 1024;

/** The 435 records of Qwen3-4B written out from mlc-llm's Qwen3 model, independently of the planner. */
function expectedQwen3_4BRecords(scaleDtype: 'float16' | 'float32') {
  const records = new Map<string, { shape: number[]; dtype: string; nbytes: number }>();
  const quantized = (name: string, rows: number, cols: number) => {
    records.set(`${name}.q_weight`, {
      shape: [rows, cols / 8],
      dtype: 'uint32',
      nbytes: (rows * cols) / 2,
    });
    records.set(`${name}.q_scale`, {
      shape: [rows, cols / 32],
      dtype: scaleDtype,
      nbytes: ((rows * cols) / 32) * 2,
    });
  };
  const norm = (name: string, size: number) =>
    records.set(name, { shape: [size], dtype: scaleDtype, nbytes: size * 2 });
  quantized('model.embed_tokens', 151936, 2560);
  for (let i = 0; i < 36; i += 1) {
    const p = `model.layers.${i}`;
    quantized(`${p}.self_attn.c_attn`, 4096 + 1024 + 1024, 2560);
    quantized(`${p}.self_attn.o_proj`, 2560, 4096);
    quantized(`${p}.mlp.gate_up_proj`, 2 * 9728, 2560);
    quantized(`${p}.mlp.down_proj`, 2560, 9728);
    norm(`${p}.self_attn.q_norm.weight`, 128);
    norm(`${p}.self_attn.k_norm.weight`, 128);
    norm(`${p}.input_layernorm.weight`, 2560);
    norm(`${p}.post_attention_layernorm.weight`, 2560);
  }
  norm('model.norm.weight', 2560);
  return records;
}

const allRecords = (plan: MlcOutputPlan) => plan.shards.flatMap((shard) => shard.records);

describe('the MLC manifest of the real Qwen3-4B config, without reading a weight', () => {
  for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
    it(`${quantization}: 435 records, 2,262,920,192 bytes, names, shapes, dtypes and sizes as mlc-llm writes them`, () => {
      const plan = planMlcOutput(qwen3_4B, quantization);
      const expected = expectedQwen3_4BRecords(quantization === 'q4f16_1' ? 'float16' : 'float32');
      const records = allRecords(plan);
      expect(records).toHaveLength(435);
      expect(plan.recordCount).toBe(435);
      expect(plan.totalBytes).toBe(2_262_920_192);
      expect(records.reduce((sum, record) => sum + record.nbytes, 0)).toBe(2_262_920_192);
      expect(new Set(records.map((record) => record.name))).toEqual(new Set(expected.keys()));
      for (const record of records) {
        expect({ name: record.name, ...expected.get(record.name) }).toEqual({
          name: record.name,
          shape: record.shape,
          dtype: record.dtype,
          nbytes: record.nbytes,
        });
        expect(record.format).toBe('f32-to-bf16'); // convert_weight dumps with this encode_format
      }
      expect(records.some((record) => record.name.startsWith('lm_head'))).toBe(false);
      expect(plan.metadata.ParamSize).toBe(435);
      // Float32 tensors count 4 bytes a weight in ParamBytes, though stored as bf16.
      expect(plan.metadata.ParamBytes).toBe(
        quantization === 'q4f16_1'
          ? 2_262_920_192
          : 2_262_920_192 +
              435 * 0 +
              (24_309_760 + 36 * (983_040 + 655_360 + 3_112_960 + 1_556_480 + 10_752) + 5120),
      );
      expect(plan.metadata.BitsPerParam).toBeCloseTo(
        (plan.metadata.ParamBytes * 8) / 4_022_468_096,
        12,
      );
    });
  }

  it('places records in shards as tvmjs.dump_tensor_cache does: 32 MiB cap, big records alone, offsets by concatenation', () => {
    const plan = planMlcOutput(qwen3_4B, 'q4f16_1');
    expect(plan.shards.map((shard) => shard.dataPath)).toEqual(
      plan.shards.map((_, i) => `params_shard_${i}.bin`),
    );
    for (const shard of plan.shards) {
      let offset = 0;
      for (const record of shard.records) {
        expect(record.byteOffset).toBe(offset);
        offset += record.nbytes;
      }
      expect(shard.nbytes).toBe(offset);
      if (shard.records.length > 1) expect(shard.nbytes).toBeLessThan(32 * MiB);
    }
    const shardOf = (name: string) =>
      plan.shards.find((shard) => shard.records.some((record) => record.name === name));
    // The 185.5 MiB embedding and every 23.75 MiB gate_up weight stand alone.
    for (const name of [
      'model.embed_tokens.q_weight',
      ...Array.from({ length: 36 }, (_, i) => `model.layers.${i}.mlp.gate_up_proj.q_weight`),
    ]) {
      expect(shardOf(name)?.records.map((record) => record.name)).toEqual([name]);
    }
    expect(plan.shards[0]?.records[0]?.name).toBe('model.embed_tokens.q_weight');
    // tvmjs puts a record of 16 MiB or more alone only when it would overflow the pending shard:
    // the 23.2 MiB embedding scales start the next shard and the first layer norm joins them.
    expect(plan.shards[1]?.records.map((record) => record.name)).toEqual([
      'model.embed_tokens.q_scale',
      'model.layers.0.input_layernorm.weight',
    ]);
    expect(plan.shards).toHaveLength(74);
  });

  it('follows mlc-llm’s loading order: the checkpoint’s names sorted, so layer 10 comes before layer 2', () => {
    const names = allRecords(planMlcOutput(qwen3_4B, 'q4f16_1')).map((record) => record.name);
    const firstOf = (layer: number) =>
      names.findIndex((name) => name.startsWith(`model.layers.${layer}.`));
    expect(firstOf(1)).toBeLessThan(firstOf(10));
    expect(firstOf(19)).toBeLessThan(firstOf(2));
    // Listed shard by shard: the gate_up weight, too big for the pending shard, gets its own shard
    // numbered before the pending one that already holds the down projection read before it.
    expect(names.slice(2, 14)).toEqual([
      'model.layers.0.input_layernorm.weight',
      'model.layers.0.mlp.gate_up_proj.q_weight',
      'model.layers.0.mlp.down_proj.q_weight',
      'model.layers.0.mlp.down_proj.q_scale',
      'model.layers.0.mlp.gate_up_proj.q_scale',
      'model.layers.0.post_attention_layernorm.weight',
      'model.layers.0.self_attn.k_norm.weight',
      'model.layers.0.self_attn.c_attn.q_weight',
      'model.layers.0.self_attn.c_attn.q_scale',
      'model.layers.0.self_attn.o_proj.q_weight',
      'model.layers.0.self_attn.o_proj.q_scale',
      'model.layers.0.self_attn.q_norm.weight',
    ]);
    expect(names.at(-1)).toBe('model.norm.weight');
  });

  it('tensor-cache.json has tvmjs’s keys in tvmjs’s order', () => {
    const plan = planMlcOutput(qwen3_4B, 'q4f32_1');
    const json = buildTensorCacheJson(
      plan,
      plan.shards.map((_, i) => i.toString(16).padStart(32, '0')),
    );
    expect(Object.keys(json)).toEqual(['metadata', 'records']);
    expect(Object.keys(json.metadata)).toEqual(['ParamSize', 'ParamBytes', 'BitsPerParam']);
    expect(Object.keys(json.records[0] ?? {})).toEqual([
      'dataPath',
      'format',
      'nbytes',
      'records',
      'md5sum',
    ]);
    expect(json.records[1]?.records[0]).toEqual({
      name: 'model.embed_tokens.q_scale',
      shape: [151936, 80],
      dtype: 'float32',
      format: 'f32-to-bf16',
      nbytes: 24_309_760,
      byteOffset: 0,
    });
    expect(json.records[1]?.md5sum).toBe('00000000000000000000000000000001');
    expect(() => buildTensorCacheJson(plan, ['x'])).toThrow(/74 md5 sums/);
  });
});

describe('mlc-chat-config.json', () => {
  it('for Qwen3-4B at 40960 tokens equals mlc-ai’s own Qwen3-4B config, and the app’s config check accepts it', () => {
    const config = buildMlcChatConfig(qwen3_4B, 'q4f16_1', {
      contextWindowSize: 40960,
      tokenizerFiles: ['tokenizer_config.json', 'merges.txt', 'tokenizer.json', 'vocab.json'],
    });
    expect(config).toEqual(mlcAiQwen3ChatConfig);
    expect(JSON.stringify(Object.keys(config))).toBe(
      JSON.stringify(Object.keys(mlcAiQwen3ChatConfig)),
    );
    expect(checkChatConfig(config, 'q4f16_1')).toMatchObject({ ok: true, quantization: 'q4f16_1' });
  });

  it('uses the 8192-token default context, the 1024 prefill chunk, and names only the tokenizer files the folder has', () => {
    const config = buildMlcChatConfig(qwen3_4B, 'q4f32_1', { tokenizerFiles: ['tokenizer.json'] });
    expect(config).toMatchObject({
      quantization: 'q4f32_1',
      context_window_size: 8192,
      prefill_chunk_size: 1024,
      tokenizer_files: ['tokenizer.json'],
      model_config: { context_window_size: 8192, prefill_chunk_size: 1024, hidden_size: 2560 },
      conv_template: { name: 'qwen2' },
    });
    expect(checkChatConfig(config, 'q4f32_1')).toMatchObject({ ok: true });
    expect(() =>
      buildMlcChatConfig(qwen3_4B, 'q4f16_1', { tokenizerFiles: ['vocab.json'] }),
    ).toThrow(/tokenizer\.json/);
  });
});

describe('the Qwen3-4B shape check', () => {
  it('passes Qwen3-4B and names each field that differs', () => {
    expect(checkQwen3_4BShape(qwen3_4B)).toEqual([]);
    const raw = JSON.parse(qwen3_4BConfigText) as Record<string, unknown>;
    const other = parseQwen3Config(
      JSON.stringify({
        ...raw,
        hidden_size: 4096,
        rope_theta: 10000,
        tie_word_embeddings: false,
        rope_scaling: { type: 'yarn', factor: 4 },
      }),
    ).config as Qwen3Config;
    const refusals = checkQwen3_4BShape(other);
    expect(refusals.map((refusal) => refusal.field)).toEqual([
      'hidden_size',
      'tie_word_embeddings',
      'rope_theta',
      'rope_scaling',
    ]);
    expect(refusals[0]?.message).toMatch(/hidden_size is 4096; .*needs 2560/);
    expect(refusals[1]?.message).toMatch(/untied head needs a model library compiled for it/);
  });

  it('refuses configs that are not Qwen3 or not whole groups of 32, naming the field', () => {
    const raw = JSON.parse(qwen3_4BConfigText) as Record<string, unknown>;
    expect(
      parseQwen3Config(JSON.stringify({ ...raw, model_type: 'llama' })).refusals[0]?.field,
    ).toBe('model_type');
    expect(
      parseQwen3Config(JSON.stringify({ ...raw, hidden_size: 2561 })).refusals.map((r) => r.field),
    ).toContain('hidden_size');
    expect(
      parseQwen3Config(JSON.stringify({ ...raw, num_hidden_layers: '36' })).refusals[0]?.message,
    ).toMatch(/num_hidden_layers/);
    expect(parseQwen3Config('{').refusals[0]?.field).toBe('config.json');
  });
});
