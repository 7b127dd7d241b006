import type { CheckpointRefusal, Qwen3Config } from './types';

type Parsed =
  { config: Qwen3Config; refusals: [] } | { config?: undefined; refusals: CheckpointRefusal[] };

const refusal = (field: string, message: string): CheckpointRefusal => ({ field, message });

/**
 * Validates a checkpoint's `config.json` as any Qwen3 model the converter can handle (any size:
 * the tests use tiny ones). Each refusal names the field.
 */
export function parseQwen3Config(text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { refusals: [refusal('config.json', 'config.json is not valid JSON.')] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { refusals: [refusal('config.json', 'config.json is not a JSON object.')] };
  }
  const raw = json as Record<string, unknown>;
  const refusals: CheckpointRefusal[] = [];
  /** A positive integer or number field; a refusal naming it otherwise. */
  const positive = (field: string, kind: 'integer' | 'number'): number => {
    const value = raw[field];
    const whole = kind === 'integer' ? Number.isSafeInteger(value) : Number.isFinite(value);
    if (typeof value === 'number' && whole && value > 0) return value;
    refusals.push(
      refusal(
        field,
        `config.json: ${field} is ${JSON.stringify(value)}; a positive ${kind} is needed.`,
      ),
    );
    return 0;
  };
  const integer = (field: string) => positive(field, 'integer');
  const number = (field: string) => positive(field, 'number');

  if (raw.model_type !== 'qwen3') {
    refusals.push(
      refusal(
        'model_type',
        `config.json: model_type is ${JSON.stringify(raw.model_type)}; only "qwen3" checkpoints are converted.`,
      ),
    );
  }
  const hidden = integer('hidden_size');
  const intermediate = integer('intermediate_size');
  const layers = integer('num_hidden_layers');
  const heads = integer('num_attention_heads');
  const kvHeads = integer('num_key_value_heads');
  const vocab = integer('vocab_size');
  const headDim = raw.head_dim === undefined && heads ? hidden / heads : integer('head_dim');
  const eps = number('rms_norm_eps');
  const ropeTheta = number('rope_theta');
  const maxPositions = integer('max_position_embeddings');
  const hiddenAct = typeof raw.hidden_act === 'string' ? raw.hidden_act : '';
  if (!['silu', 'swish', 'gelu', 'relu', 'gelu_new'].includes(hiddenAct)) {
    refusals.push(
      refusal(
        'hidden_act',
        `config.json: hidden_act ${JSON.stringify(raw.hidden_act)} is not one MLC's Qwen3 model knows.`,
      ),
    );
  }
  if (raw.attention_bias === true) {
    refusals.push(
      refusal(
        'attention_bias',
        'config.json: attention_bias is true; the converter handles Qwen3 without attention biases only.',
      ),
    );
  }
  for (const [field, value] of [
    ['hidden_size', hidden],
    ['intermediate_size', intermediate],
    ['num_attention_heads × head_dim', heads * headDim],
  ] as const) {
    if (value && value % 32 !== 0) {
      refusals.push(
        refusal(
          field.split(' ')[0] as string,
          `config.json: ${field} is ${value}, not a multiple of the quantization group size 32.`,
        ),
      );
    }
  }
  if (heads && kvHeads && heads % kvHeads !== 0) {
    refusals.push(
      refusal(
        'num_key_value_heads',
        `config.json: num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}.`,
      ),
    );
  }
  if (refusals.length > 0) return { refusals };
  return {
    config: {
      hidden_size: hidden,
      intermediate_size: intermediate,
      num_hidden_layers: layers,
      num_attention_heads: heads,
      num_key_value_heads: kvHeads,
      head_dim: headDim,
      vocab_size: vocab,
      tie_word_embeddings: raw.tie_word_embeddings === true,
      attention_bias: false,
      hidden_act: hiddenAct,
      rms_norm_eps: eps,
      rope_theta: ropeTheta,
      rope_scaling: raw.rope_scaling ?? null,
      max_position_embeddings: maxPositions,
      raw,
    },
    refusals: [],
  };
}

/** Qwen3-4B's shape, which WebLLM's prebuilt library compiles in. */
export const qwen3_4BShape = {
  hidden_size: 2560,
  intermediate_size: 9728,
  num_hidden_layers: 36,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 128,
  vocab_size: 151936,
  tie_word_embeddings: true,
  attention_bias: false,
  hidden_act: 'silu',
  rms_norm_eps: 1e-6,
  rope_theta: 1e6,
} as const;

/**
 * The prebuilt Qwen3-4B library compiles these values in: another size fails at load, and another
 * rope_theta, eps, activation or head tying would load and silently produce garbage. Empty when
 * the config matches.
 */
export function checkQwen3_4BShape(config: Qwen3Config): CheckpointRefusal[] {
  const refusals: CheckpointRefusal[] = [];
  for (const [field, expected] of Object.entries(qwen3_4BShape)) {
    const actual = config[field as keyof typeof qwen3_4BShape];
    if (actual !== expected) {
      const why =
        field === 'tie_word_embeddings'
          ? ' (an untied head needs a model library compiled for it: build with the Python path, scripts/build-mlc-model.sh)'
          : '';
      refusals.push(
        refusal(
          field,
          `config.json: ${field} is ${JSON.stringify(actual)}; WebLLM's prebuilt Qwen3-4B library needs ${JSON.stringify(expected)}${why}.`,
        ),
      );
    }
  }
  if (config.rope_scaling !== null) {
    refusals.push(
      refusal(
        'rope_scaling',
        `config.json: rope_scaling is ${JSON.stringify(config.rope_scaling)}; WebLLM's prebuilt Qwen3-4B library has none.`,
      ),
    );
  }
  return refusals;
}
