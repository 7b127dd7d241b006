import type { ChatCompletionRequestStreaming } from '@mlc-ai/web-llm';

export interface ChatRequestOptions {
  maxTokens: number;
  /** Constrain the answer to this JSON Schema, or its JSON text (xgrammar compiles it in the worker). */
  jsonSchema?: unknown;
  /** Send WebLLM's `enable_thinking: false` (Qwen3 only: it prefills an empty think block). */
  thinkingOff: boolean;
}

/**
 * Qwen3 models think before answering unless told not to. WebLLM 0.2.86 turns it off with
 * `extra_body.enable_thinking: false`, which prefills `<think>\n\n</think>\n\n` as the start of
 * the reply; its docs say it is meant for Qwen3 only, so other models are not sent it.
 */
export function thinksUnlessTold(modelId: string): boolean {
  return /^Qwen3-/i.test(modelId);
}

const schemaText = (schema: unknown): string =>
  typeof schema === 'string' ? schema : JSON.stringify(schema);

/**
 * A general instruction model's request (query analysis or answer): the prompt as one user
 * message, greedy like the reference's temperature 0, streamed with usage. WebLLM has no
 * `json_schema` response format: a schema goes as `json_object` with `schema` as a string, which
 * WebLLM compiles with xgrammar (the mode the extractor uses as well).
 */
export function buildChatRequest(
  prompt: string,
  options: ChatRequestOptions,
): ChatCompletionRequestStreaming {
  return {
    messages: [{ role: 'user', content: prompt }],
    ...(options.thinkingOff ? { extra_body: { enable_thinking: false } } : {}),
    temperature: 0,
    max_tokens: options.maxTokens,
    ...(options.jsonSchema === undefined
      ? {}
      : { response_format: { type: 'json_object', schema: schemaText(options.jsonSchema) } }),
    stream: true,
    stream_options: { include_usage: true },
  };
}

const thinkBlock = /^\s*<think>[\s\S]*?(<\/think>\s*|$)/;

/**
 * The reply without a leading think block: a model that thinks anyway (one of WebLLM's list that
 * is not Qwen3, or an unfinished block while streaming) shows only its answer.
 */
export function withoutThinking(text: string): string {
  return text.replace(thinkBlock, '');
}
