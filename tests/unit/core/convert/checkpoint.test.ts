import { describe, expect, it } from 'vitest';

import {
  buildTensorCacheJson,
  checkQwen3_4BShape,
  convertShard,
  inspectCheckpoint,
  md5Hex,
  planMlcOutput,
  quantizeBf16Block,
} from '../../../../src/core/convert';
import type {
  Checkpoint,
  MlcQuantization,
  PlanOptions,
  QuantizeBlock,
} from '../../../../src/core/convert';
import { dequantizedQwen3, mlcSplitOrder, mlcTensors } from '../../../support/convert/mlcFolder';
import { memoryCheckpointReader } from '../../../support/convert/memoryReader';
import { qwen3Logits } from '../../../support/convert/qwen3Forward';
import type { Qwen3Weights } from '../../../support/convert/qwen3Forward';
import { modelValue, referenceRoundTrip } from '../../../support/convert/referenceQuantizer';
import {
  syntheticQwen3Checkpoint,
  tinyQwen3Config,
} from '../../../support/convert/syntheticCheckpoint';
import type { SyntheticCheckpointOptions } from '../../../support/convert/syntheticCheckpoint';

const tokens = [3, 17, 42, 5, 79, 0, 64];

async function inspect(options: SyntheticCheckpointOptions = {}) {
  const synthetic = syntheticQwen3Checkpoint(options);
  const { reader, reads } = memoryCheckpointReader(synthetic.files);
  return { synthetic, reader, reads, inspection: await inspectCheckpoint(reader) };
}

async function convertAll(
  quantization: MlcQuantization,
  planOptions: Omit<PlanOptions, 'loadingOrder' | 'totalParams'> = {},
  convertOptions: {
    quantizeBlock?: QuantizeBlock;
    concurrency?: number;
    readBlockBytes?: number;
  } = {},
) {
  const { synthetic, reader, reads, inspection } = await inspect({ seed: 5, files: 3 });
  if (!inspection.convertible) throw new Error(JSON.stringify(inspection.refusals));
  const { checkpoint } = inspection;
  const plan = planMlcOutput(checkpoint.config, quantization, {
    ...planOptions,
    loadingOrder: checkpoint.loadingOrder,
    totalParams: checkpoint.totalParams,
  });
  const siblings = new Map<string, Uint8Array>();
  const shards = new Map<string, Uint8Array>();
  const md5s: string[] = [];
  for (let index = 0; index < plan.shards.length; index += 1) {
    const shard = await convertShard(
      plan,
      index,
      { reader, tensors: checkpoint.tensors },
      { ...convertOptions, siblings },
    );
    shards.set(shard.dataPath, shard.bytes);
    md5s.push(shard.md5);
  }
  return {
    synthetic,
    checkpoint,
    plan,
    shards,
    md5s,
    reads,
    reader,
    cache: buildTensorCacheJson(plan, md5s),
  };
}

/** The original checkpoint, quantized and dequantized tensor by tensor with the test's own reference. */
function referenceWeights(
  synthetic: ReturnType<typeof syntheticQwen3Checkpoint>,
  quantization: MlcQuantization,
): Qwen3Weights {
  const bits = (name: string) => (synthetic.weights.get(name) as { bf16: Uint16Array }).bf16;
  const matrix = (name: string) => referenceRoundTrip(bits(name), quantization);
  const norm = (name: string) => Float64Array.from(bits(name), (b) => modelValue(b, quantization));
  return {
    embed: matrix('model.embed_tokens.weight'),
    norm: norm('model.norm.weight'),
    layers: Array.from({ length: tinyQwen3Config.num_hidden_layers }, (_, i) => {
      const p = `model.layers.${i}`;
      return {
        inputNorm: norm(`${p}.input_layernorm.weight`),
        q: matrix(`${p}.self_attn.q_proj.weight`),
        k: matrix(`${p}.self_attn.k_proj.weight`),
        v: matrix(`${p}.self_attn.v_proj.weight`),
        o: matrix(`${p}.self_attn.o_proj.weight`),
        qNorm: norm(`${p}.self_attn.q_norm.weight`),
        kNorm: norm(`${p}.self_attn.k_norm.weight`),
        postNorm: norm(`${p}.post_attention_layernorm.weight`),
        gate: matrix(`${p}.mlp.gate_proj.weight`),
        up: matrix(`${p}.mlp.up_proj.weight`),
        down: matrix(`${p}.mlp.down_proj.weight`),
      };
    }),
  };
}

const maxDifference = (a: Float64Array[], b: Float64Array[]) =>
  Math.max(
    ...a.map((row, i) =>
      Math.max(...row.map((value, j) => Math.abs(value - (b[i]?.[j] as number)))),
    ),
  );
const maxMagnitude = (a: Float64Array[]) =>
  Math.max(...a.map((row) => Math.max(...row.map(Math.abs))));

describe('a tiny synthetic Qwen3 checkpoint converted to MLC', () => {
  for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
    it(`${quantization}: a forward pass over the MLC tensors matches one over the reference-quantized original, and a swapped q/k/v or gate/up order does not`, async () => {
      const { synthetic, shards, cache } = await convertAll(quantization);
      const tensors = mlcTensors(cache, shards);
      const dims = tinyQwen3Config;
      const expected = qwen3Logits(dims, referenceWeights(synthetic, quantization), tokens);
      const actual = qwen3Logits(dims, dequantizedQwen3(tensors, quantization, dims), tokens);
      const scale = maxMagnitude(expected);
      expect(scale).toBeGreaterThan(0.1);
      expect(maxDifference(actual, expected)).toBeLessThanOrEqual(1e-9 * scale);

      const swappedKv = qwen3Logits(
        dims,
        dequantizedQwen3(tensors, quantization, dims, {
          ...mlcSplitOrder,
          attention: ['q', 'v', 'k'],
        }),
        tokens,
      );
      const swappedMlp = qwen3Logits(
        dims,
        dequantizedQwen3(tensors, quantization, dims, { ...mlcSplitOrder, mlp: ['up', 'gate'] }),
        tokens,
      );
      expect(maxDifference(swappedKv, expected)).toBeGreaterThan(0.05 * scale);
      expect(maxDifference(swappedMlp, expected)).toBeGreaterThan(0.05 * scale);
    });
  }

  it('gives the same bytes whatever the read block size, worker-style async quantizer or shard cap; reads stay within the block size', async () => {
    const plain = await convertAll('q4f16_1');
    const asyncQuantizer: QuantizeBlock = async (block) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      return quantizeBf16Block(block);
    };
    const blocked = await convertAll(
      'q4f16_1',
      {},
      { quantizeBlock: asyncQuantizer, concurrency: 3, readBlockBytes: 1000 },
    );
    expect(blocked.md5s).toEqual(plain.md5s);
    const weightReads = blocked.reads.filter((read) => read.end - read.start > 100);
    expect(Math.max(...weightReads.map((read) => read.end - read.start))).toBeLessThanOrEqual(1000);

    // Small shards: records placed out of band, q_scales handed on from an earlier shard.
    const small = await convertAll('q4f16_1', { shardCapBytes: 8192 });
    expect(small.plan.shards.length).toBeGreaterThan(5);
    const alone = small.plan.shards.filter(
      (shard) => shard.records.length === 1 && shard.nbytes * 2 >= 8192,
    );
    expect(alone.length).toBeGreaterThan(0);
    const same = (
      a: Map<string, Uint8Array>,
      b: Map<string, Uint8Array>,
      cache: typeof plain.cache,
      other: typeof plain.cache,
    ) => {
      const left = mlcTensors(cache, a);
      const right = mlcTensors(other, b);
      expect([...left.keys()].sort()).toEqual([...right.keys()].sort());
      for (const [name, tensor] of left)
        expect(Buffer.from(tensor.bytes).equals(Buffer.from(right.get(name)?.bytes ?? []))).toBe(
          true,
        );
    };
    same(small.shards, plain.shards, small.cache, plain.cache);
  });

  it('a shard converted on its own (a resume) re-reads the sources of a q_scale whose q_weight was in an earlier shard', async () => {
    const full = await convertAll('q4f32_1', { shardCapBytes: 8192 });
    const index = full.plan.shards.findIndex((shard, i) =>
      shard.records.some(
        (record) =>
          record.source.kind === 'q_scale' &&
          !shard.records.some((other) => other.name === record.source.sibling) &&
          i > 0,
      ),
    );
    expect(index).toBeGreaterThan(0);
    const again = await convertShard(full.plan, index, {
      reader: full.reader,
      tensors: full.checkpoint.tensors,
    });
    expect(again.md5).toBe(full.md5s[index]);
    expect(again.md5).toBe(await md5Hex(full.shards.get(again.dataPath) as Uint8Array));
  });

  it('tensor-cache.json records match the shards: sizes, offsets, md5 sums', async () => {
    const { cache, shards, plan } = await convertAll('q4f16_1');
    for (const shard of cache.records) {
      const bytes = shards.get(shard.dataPath) as Uint8Array;
      expect(bytes.byteLength).toBe(shard.nbytes);
      expect(await md5Hex(bytes)).toBe(shard.md5sum);
    }
    expect(cache.metadata.ParamSize).toBe(2 + 12 * tinyQwen3Config.num_hidden_layers + 1);
    expect(plan.totalBytes).toBe(
      [...shards.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0),
    );
  });

  it('reports progress in source bytes and tensors, and stops when aborted', async () => {
    const { checkpoint, reader } = await inspectOk();
    const plan = planMlcOutput(checkpoint.config, 'q4f16_1', {
      loadingOrder: checkpoint.loadingOrder,
    });
    const events: {
      bytesRead: number;
      bytesTotal: number;
      tensorsDone: number;
      tensorsTotal: number;
    }[] = [];
    await convertShard(
      plan,
      0,
      { reader, tensors: checkpoint.tensors },
      { onProgress: (event) => events.push(event), readBlockBytes: 2048 },
    );
    const last = events.at(-1);
    expect(last?.bytesRead).toBe(last?.bytesTotal);
    expect(last?.tensorsDone).toBe(plan.shards[0]?.records.length);
    expect(events.length).toBeGreaterThan(plan.shards[0]?.records.length ?? 0);
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    await expect(
      convertShard(plan, 0, { reader, tensors: checkpoint.tensors }, { signal: controller.signal }),
    ).rejects.toThrow('cancelled by the user');
  });
});

async function inspectOk(options: SyntheticCheckpointOptions = {}): Promise<{
  checkpoint: Checkpoint;
  reader: ReturnType<typeof memoryCheckpointReader>['reader'];
}> {
  const { inspection, reader } = await inspect(options);
  if (!inspection.convertible) throw new Error(JSON.stringify(inspection.refusals));
  return { checkpoint: inspection.checkpoint, reader };
}

describe('inspecting a checkpoint', () => {
  it('reads the index and every header: tensors, files, mlc-llm’s loading order, weight count', async () => {
    const { checkpoint } = await inspectOk({ files: 3 });
    expect(checkpoint.files.map((file) => file.name)).toEqual([
      'model-00001-of-00003.safetensors',
      'model-00002-of-00003.safetensors',
      'model-00003-of-00003.safetensors',
    ]);
    expect(checkpoint.loadingOrder[0]).toBe('model.embed_tokens.weight');
    expect(checkpoint.tensors['model.layers.1.mlp.up_proj.weight']).toMatchObject({
      dtype: 'BF16',
      shape: [96, 64],
    });
    const single = await inspectOk({ files: 1 });
    expect(single.checkpoint.files.map((file) => file.name)).toEqual(['model.safetensors']);
    expect(single.checkpoint.loadingOrder).toEqual([...single.checkpoint.loadingOrder].sort());
    expect(checkpoint.totalParams).toBe(single.checkpoint.totalParams);
    // A tiny model is convertible but is not Qwen3-4B: the app and the CLI refuse it by default.
    expect(checkQwen3_4BShape(checkpoint.config).map((refusal) => refusal.field)).toContain(
      'hidden_size',
    );
  });

  it('accepts an lm_head.weight identical to the embedding', async () => {
    const { inspection } = await inspect({ lmHead: 'same' });
    expect(inspection.convertible).toBe(true);
  });

  const refusalsOf = async (
    options: SyntheticCheckpointOptions,
    edit?: (files: Map<string, Uint8Array>) => void,
  ) => {
    const synthetic = syntheticQwen3Checkpoint(options);
    edit?.(synthetic.files);
    const inspection = await inspectCheckpoint(memoryCheckpointReader(synthetic.files).reader);
    expect(inspection.convertible).toBe(false);
    return inspection.refusals;
  };

  it('refuses a different lm_head, saying only a library compiled for an untied head can run it', async () => {
    const [refusal] = await refusalsOf({ lmHead: 'different' });
    expect(refusal?.field).toBe('lm_head.weight');
    expect(refusal?.message).toMatch(
      /different from the embedding.*only a library compiled for an untied head/,
    );
  });

  it('refuses float16 and float32 checkpoints, naming the tensor and its dtype', async () => {
    for (const dtype of ['F16', 'F32'] as const) {
      const refusals = await refusalsOf({ dtype });
      expect(refusals[0]?.field).toBe('model.embed_tokens.weight');
      expect(refusals[0]?.message).toMatch(
        new RegExp(`stored as float${dtype.slice(1)} \\(${dtype}\\).*bf16`),
      );
    }
  });

  it('refuses a missing shard and a truncated shard, naming the file', async () => {
    const missing = await refusalsOf({ files: 3 }, (files) =>
      files.delete('model-00002-of-00003.safetensors'),
    );
    expect(missing).toEqual([
      {
        field: 'model-00002-of-00003.safetensors',
        message: expect.stringMatching(
          /incomplete.*model-00002-of-00003\.safetensors, which is missing/,
        ),
      },
    ]);
    const truncated = await refusalsOf({ files: 3 }, (files) => {
      const bytes = files.get('model-00003-of-00003.safetensors') as Uint8Array;
      files.set('model-00003-of-00003.safetensors', bytes.slice(0, bytes.byteLength - 10));
    });
    expect(truncated[0]?.field).toBe('model-00003-of-00003.safetensors');
    expect(truncated[0]?.message).toMatch(/truncated: it has \d+ bytes, its header needs \d+/);
    const cutHeader = await refusalsOf({ files: 2 }, (files) => {
      files.set(
        'model-00001-of-00002.safetensors',
        (files.get('model-00001-of-00002.safetensors') as Uint8Array).slice(0, 40),
      );
    });
    expect(cutHeader[0]?.message).toMatch(/not a whole safetensors file/);
  });

  it('refuses a config whose shape does not match the tensors, or that is not Qwen3, naming the field', async () => {
    const shape = await refusalsOf({ files: 2 }, (files) => {
      files.set(
        'config.json',
        new TextEncoder().encode(JSON.stringify({ ...tinyQwen3Config, intermediate_size: 128 })),
      );
    });
    expect(shape[0]?.field).toBe('model.layers.0.mlp.gate_proj.weight');
    expect(shape[0]?.message).toMatch(/shape \[96, 64\]; config\.json implies \[128, 64\]/);
    const other = await refusalsOf({}, (files) => {
      files.set(
        'config.json',
        new TextEncoder().encode(
          JSON.stringify({ ...tinyQwen3Config, model_type: 'qwen2', hidden_size: 60 }),
        ),
      );
    });
    expect(other.map((refusal) => refusal.field)).toEqual(['model_type', 'hidden_size']);
    const noConfig = await refusalsOf({}, (files) => files.delete('config.json'));
    expect(noConfig[0]?.field).toBe('config.json');
  });
});

describe('a quantizer that fails', () => {
  it('rejects the shard with its error, and leaves no unhandled rejection behind', async () => {
    const { checkpoint, reader } = await inspectOk();
    const plan = planMlcOutput(checkpoint.config, 'q4f16_1', {
      loadingOrder: checkpoint.loadingOrder,
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let calls = 0;
      const failing: QuantizeBlock = async (block) => {
        calls += 1;
        if (calls >= 2) throw new Error('worker lost');
        return quantizeBf16Block(block);
      };
      await expect(
        convertShard(
          plan,
          0,
          { reader, tensors: checkpoint.tensors },
          { quantizeBlock: failing, concurrency: 4, readBlockBytes: 1024 },
        ),
      ).rejects.toThrow('worker lost');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('mlc-llm’s loading order', () => {
  it('walks the files in the order the index first names them, then each file’s tensors in index order', async () => {
    const synthetic = syntheticQwen3Checkpoint({ files: 3 });
    const index = JSON.parse(
      new TextDecoder().decode(synthetic.files.get('model.safetensors.index.json')),
    ) as {
      weight_map: Record<string, string>;
    };
    // The last file's tensors listed first, each file's tensors in reverse.
    const entries = Object.entries(index.weight_map).reverse();
    const reordered = [
      ...entries.filter(([, f]) => f.includes('00003')),
      ...entries.filter(([, f]) => !f.includes('00003')),
    ];
    synthetic.files.set(
      'model.safetensors.index.json',
      new TextEncoder().encode(JSON.stringify({ weight_map: Object.fromEntries(reordered) })),
    );
    const inspection = await inspectCheckpoint(memoryCheckpointReader(synthetic.files).reader);
    if (!inspection.convertible) throw new Error(JSON.stringify(inspection.refusals));
    const { checkpoint } = inspection;
    expect(checkpoint.files.map((file) => file.name)).toEqual([
      'model-00003-of-00003.safetensors',
      'model-00002-of-00003.safetensors',
      'model-00001-of-00003.safetensors',
    ]);
    // Grouped by file (in order of first mention), each file's tensors in index order.
    const fileOrder = [...new Set(reordered.map(([, file]) => file))];
    expect(checkpoint.loadingOrder).toEqual(
      fileOrder.flatMap((file) =>
        reordered.filter(([, owner]) => owner === file).map(([name]) => name),
      ),
    );
    const plan = planMlcOutput(checkpoint.config, 'q4f16_1', {
      loadingOrder: checkpoint.loadingOrder,
      shardCapBytes: 1 << 30,
    });
    const names = plan.shards.flatMap((shard) => shard.records.map((record) => record.name));
    // The reversed index starts with the last file's model.norm, q_norm and o_proj of layer 1.
    expect(checkpoint.loadingOrder.slice(0, 3)).toEqual([
      'model.norm.weight',
      'model.layers.1.self_attn.q_norm.weight',
      'model.layers.1.self_attn.o_proj.weight',
    ]);
    expect(names.slice(0, 4)).toEqual([
      'model.norm.weight',
      'model.layers.1.self_attn.q_norm.weight',
      'model.layers.1.self_attn.o_proj.q_weight',
      'model.layers.1.self_attn.o_proj.q_scale',
    ]);
  });
});
