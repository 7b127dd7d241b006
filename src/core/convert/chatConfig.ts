import type { MlcChatConfigOptions, MlcQuantization, Qwen3Config } from './types';

/**
 * The parts of mlc-ai's Qwen3-4B `mlc-chat-config.json` (what `mlc_llm gen_config --conv-template
 * qwen2` writes for Qwen3-4B) that do not depend on the checkpoint's numbers: the ChatML-style
 * `qwen2` template, Qwen3's sampling defaults and special tokens. The app empties the system
 * message at load.
 */
const qwen3ChatConfigTemplate = {
  version: '0.1.0',
  sliding_window_size: -1,
  attention_sink_size: -1,
  tensor_parallel_shards: 1,
  pipeline_parallel_stages: 1,
  temperature: 0.6,
  presence_penalty: 0.0,
  frequency_penalty: 0.0,
  repetition_penalty: 1.0,
  top_p: 0.95,
  tokenizer_info: {
    token_postproc_method: 'byte_level',
    prepend_space_in_encode: false,
    strip_space_in_decode: false,
  },
  conv_template: {
    name: 'qwen2',
    system_template: '<|im_start|>system\n{system_message}<|im_end|>\n',
    system_message: 'You are a helpful assistant.',
    system_prefix_token_ids: null,
    add_role_after_system_message: true,
    roles: { user: '<|im_start|>user', assistant: '<|im_start|>assistant' },
    role_templates: {
      user: '{user_message}',
      assistant: '{assistant_message}',
      tool: '{tool_message}',
    },
    messages: [],
    seps: ['<|im_end|>\n'],
    role_content_sep: '\n',
    role_empty_sep: '\n',
    stop_str: ['<|endoftext|>', '<|im_end|>'],
    stop_token_ids: [151643, 151645],
    function_string: '',
    use_function_calling: false,
  },
  pad_token_id: 151643,
  bos_token_id: 151643,
  eos_token_id: [151645, 151643],
} as const;

/** WebLLM's prebuilt Qwen3-4B libraries are compiled for 1024-token prefill chunks ("cs1k"). */
export const prefillChunkSize = 1024;
export const defaultContextWindowSize = 8192;

/** Tokenizer files MLC's config may name, in the order mlc-ai's Qwen3 configs list them. */
export const tokenizerFileNames = [
  'tokenizer.json',
  'vocab.json',
  'merges.txt',
  'tokenizer_config.json',
] as const;

/**
 * `mlc-chat-config.json` for a converted Qwen3 checkpoint, laid out as mlc-ai's Qwen3-4B one:
 * the checkpoint's numbers in `model_config`, the quantization, the context window, the 1024-token
 * prefill chunk and the tokenizer files the folder holds.
 */
export function buildMlcChatConfig(
  config: Qwen3Config,
  quantization: MlcQuantization,
  options: MlcChatConfigOptions,
): Record<string, unknown> {
  if (!options.tokenizerFiles.includes('tokenizer.json')) {
    throw new Error('An MLC model folder needs tokenizer.json; the checkpoint has none.');
  }
  const contextWindowSize = options.contextWindowSize ?? defaultContextWindowSize;
  if (!Number.isSafeInteger(contextWindowSize) || contextWindowSize < prefillChunkSize) {
    throw new Error(
      `A context window of ${contextWindowSize} tokens is too small (the prefill chunk is ${prefillChunkSize}).`,
    );
  }
  const template = structuredClone(qwen3ChatConfigTemplate) as unknown as Record<string, unknown>;
  return {
    version: template.version,
    model_type: 'qwen3',
    quantization,
    model_config: {
      hidden_act: config.hidden_act,
      hidden_size: config.hidden_size,
      intermediate_size: config.intermediate_size,
      attention_bias: config.attention_bias,
      num_attention_heads: config.num_attention_heads,
      num_hidden_layers: config.num_hidden_layers,
      num_key_value_heads: config.num_key_value_heads,
      rms_norm_eps: config.rms_norm_eps,
      rope_theta: config.rope_theta,
      vocab_size: config.vocab_size,
      tie_word_embeddings: config.tie_word_embeddings,
      context_window_size: contextWindowSize,
      prefill_chunk_size: prefillChunkSize,
      tensor_parallel_shards: 1,
      head_dim: config.head_dim,
      dtype: 'float32',
      max_batch_size: 128,
    },
    vocab_size: config.vocab_size,
    context_window_size: contextWindowSize,
    sliding_window_size: template.sliding_window_size,
    prefill_chunk_size: prefillChunkSize,
    attention_sink_size: template.attention_sink_size,
    tensor_parallel_shards: template.tensor_parallel_shards,
    pipeline_parallel_stages: template.pipeline_parallel_stages,
    temperature: template.temperature,
    presence_penalty: template.presence_penalty,
    frequency_penalty: template.frequency_penalty,
    repetition_penalty: template.repetition_penalty,
    top_p: template.top_p,
    tokenizer_files: tokenizerFileNames.filter((name) => options.tokenizerFiles.includes(name)),
    tokenizer_info: template.tokenizer_info,
    conv_template: template.conv_template,
    pad_token_id: template.pad_token_id,
    bos_token_id: template.bos_token_id,
    eos_token_id: template.eos_token_id,
  };
}
