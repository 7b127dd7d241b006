import {
  CheckpointFileMissingError,
  convertShardTo,
  inspectCheckpoint,
  planMlcOutput,
} from '../../src/core/convert';
import type { CheckpointReader, MlcQuantization } from '../../src/core/convert';
import {
  safetensorsBytes,
  seededRandom,
  toBf16Bits,
  tinyQwen3Config,
} from '../../tests/support/convert/syntheticCheckpoint';
import type { Figure } from '../lib/figures';

/** Qwen3-4B's weights (tied head): what the whole conversion quantizes. */
const qwen3_4BWeights = 4_022_468_096;
/** The goal: the whole model's CPU work in under a minute on four cores. */
const goalSeconds = 60;
const cores = 4;

/**
 * One decoder layer at Qwen3-4B's width (hidden 2560, intermediate 9728, 32 × 128 query and
 * 8 × 128 KV heads) and a 4,096-token vocabulary: 107 M bf16 weights, converted shard by shard.
 */
function oneLayerCheckpoint(): { files: Map<string, Uint8Array>; weights: number } {
  const config = {
    ...tinyQwen3Config,
    hidden_size: 2560,
    intermediate_size: 9728,
    num_hidden_layers: 1,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    head_dim: 128,
    vocab_size: 4096,
  };
  const random = seededRandom(3);
  // A pool of realistic weights reused for every tensor: making 107 M random numbers would
  // take longer than converting them.
  const pool = Uint16Array.from({ length: 1 << 20 }, () =>
    toBf16Bits((random() + random() + random() - 1.5) * 0.05),
  );
  const tensor = (name: string, shape: number[]) => {
    const count = shape.reduce((a, b) => a * b, 1);
    const bf16 = new Uint16Array(count);
    for (let offset = 0; offset < count; offset += pool.length) {
      bf16.set(pool.subarray(0, Math.min(pool.length, count - offset)), offset);
    }
    if (shape.length === 1) bf16.fill(toBf16Bits(1));
    return { name, dtype: 'BF16', shape, bytes: new Uint8Array(bf16.buffer) };
  };
  const p = 'model.layers.0';
  const tensors = [
    tensor('model.embed_tokens.weight', [4096, 2560]),
    tensor(`${p}.input_layernorm.weight`, [2560]),
    tensor(`${p}.self_attn.q_proj.weight`, [4096, 2560]),
    tensor(`${p}.self_attn.k_proj.weight`, [1024, 2560]),
    tensor(`${p}.self_attn.v_proj.weight`, [1024, 2560]),
    tensor(`${p}.self_attn.o_proj.weight`, [2560, 4096]),
    tensor(`${p}.self_attn.q_norm.weight`, [128]),
    tensor(`${p}.self_attn.k_norm.weight`, [128]),
    tensor(`${p}.post_attention_layernorm.weight`, [2560]),
    tensor(`${p}.mlp.gate_proj.weight`, [9728, 2560]),
    tensor(`${p}.mlp.up_proj.weight`, [9728, 2560]),
    tensor(`${p}.mlp.down_proj.weight`, [2560, 9728]),
    tensor('model.norm.weight', [2560]),
  ];
  const weights = tensors.reduce((sum, t) => sum + t.bytes.byteLength / 2, 0);
  return {
    files: new Map([
      ['config.json', new TextEncoder().encode(JSON.stringify(config))],
      ['model.safetensors', safetensorsBytes(tensors)],
    ]),
    weights,
  };
}

function memoryReader(files: Map<string, Uint8Array>): CheckpointReader {
  const get = (file: string) => {
    const bytes = files.get(file);
    if (!bytes) throw new CheckpointFileMissingError(file);
    return bytes;
  };
  return {
    readText: async (file) => new TextDecoder().decode(get(file)),
    size: async (file) => get(file).byteLength,
    // A copy, as a file or network read makes one.
    read: async (file, start, end) => get(file).slice(start, end),
  };
}

/** CPU seconds of this process while `run` runs: the machine is shared, wall time is not ours. */
async function cpuSeconds(run: () => Promise<unknown> | unknown): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

export async function benchConvert(log: (line: string) => void): Promise<Figure[]> {
  const { files, weights } = oneLayerCheckpoint();
  const reader = memoryReader(files);
  const inspection = await inspectCheckpoint(reader);
  if (!inspection.convertible) throw new Error(inspection.refusals.map((r) => r.message).join(' '));
  const { checkpoint } = inspection;

  // The baseline: the same bytes read by the same row blocks, each weight touched once.
  const bareRead = async () => {
    let sink = 0;
    for (const tensor of Object.values(checkpoint.tensors)) {
      for (let start = tensor.start; start < tensor.end; start += 8 * 1024 * 1024) {
        const bytes = await reader.read(
          tensor.file,
          start,
          Math.min(tensor.end, start + 8 * 1024 * 1024),
        );
        const values = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
        for (let i = 0; i < values.length; i += 1) sink ^= values[i] as number;
      }
    }
    return sink;
  };
  const convert = (quantization: MlcQuantization) => async () => {
    const plan = planMlcOutput(checkpoint.config, quantization, {
      loadingOrder: checkpoint.loadingOrder,
    });
    const siblings = new Map<string, Uint8Array>();
    let written = 0;
    for (let index = 0; index < plan.shards.length; index += 1) {
      await convertShardTo(
        plan,
        index,
        { reader, tensors: checkpoint.tensors },
        (chunk) => void (written += chunk.byteLength),
        {
          siblings,
        },
      );
    }
    if (written !== plan.totalBytes) throw new Error('conversion wrote the wrong number of bytes');
  };

  // One untimed pass of each first: the JIT's warm-up would otherwise land on whichever runs first.
  await bareRead();
  await convert('q4f16_1')();
  await convert('q4f32_1')();
  // Rounds of all three, interleaved, best of each: on a shared machine the load changes from
  // second to second, and each figure should see the same mix of it.
  const fastest = { bare: Infinity, q4f16_1: Infinity, q4f32_1: Infinity };
  for (let round = 0; round < 3; round += 1) {
    fastest.bare = Math.min(fastest.bare, await cpuSeconds(bareRead));
    fastest.q4f16_1 = Math.min(fastest.q4f16_1, await cpuSeconds(convert('q4f16_1')));
    fastest.q4f32_1 = Math.min(fastest.q4f32_1, await cpuSeconds(convert('q4f32_1')));
  }
  const bareSeconds = fastest.bare;
  const figures: Figure[] = [
    {
      part: 'convert',
      id: 'convert.bareReadPerCore',
      label: 'read bf16 weights, bare loop (baseline), M weights/s per core',
      value: weights / bareSeconds / 1e6,
      unit: 'count',
      detail: `M weights/s; ${(weights / 1e6).toFixed(0)} M weights in 8 MiB row blocks, best of 3, CPU time`,
    },
  ];
  for (const quantization of ['q4f16_1', 'q4f32_1'] as const) {
    const seconds = fastest[quantization];
    const perCore = weights / seconds;
    const wholeModel = qwen3_4BWeights / (perCore * cores);
    log(
      `convert ${quantization}: ${(perCore / 1e6).toFixed(1)} M weights/s per core (bare read ${(weights / bareSeconds / 1e6).toFixed(0)} M/s); ` +
        `Qwen3-4B on ${cores} cores ≈ ${wholeModel.toFixed(0)} s`,
    );
    figures.push(
      {
        part: 'convert',
        id: `convert.${quantization}.perCore`,
        label: `convert to ${quantization} (read, quantize, md5), M weights/s per core`,
        value: perCore / 1e6,
        unit: 'count',
        detail: 'M weights/s; one thread, CPU time, best of 3 rounds interleaved with the baseline',
      },
      {
        part: 'convert',
        id: `convert.${quantization}.vsBareRead`,
        label: `convert to ${quantization} vs the bare read`,
        value: bareSeconds > 0 ? seconds / bareSeconds : 0,
        unit: '×',
      },
      {
        part: 'convert',
        id: `convert.${quantization}.wholeModelOnFourCores`,
        label: `whole Qwen3-4B (4.02 B weights) to ${quantization} on ${cores} cores, extrapolated`,
        value: wholeModel,
        unit: 's',
        goal: { below: goalSeconds, setBy: 'issue' },
        detail: `4.02 B weights / (${cores} × per-core rate); keeps up with a 100 MB/s download when under 60 s`,
      },
    );
  }
  return figures;
}
