import type { ChatCompletionRequestStreaming } from '@mlc-ai/web-llm';

import { answerJsonSchemaText } from '../../core/schema/jsonSchema';

/**
 * The one request DimMem-4B is asked for each window (design notes §1): the whole prompt as a
 * single user message, thinking off, greedy, the answer constrained to the derived JSON Schema
 * (`json_object` + schema is the mode known to work with Qwen3-4B in WebLLM), streamed with usage
 * so prefill and decode speeds are reported.
 */
export function buildExtractionRequest(
  prompt: string,
  maxTokens: number,
): ChatCompletionRequestStreaming {
  return {
    messages: [{ role: 'user', content: prompt }],
    extra_body: { enable_thinking: false },
    temperature: 0,
    max_tokens: maxTokens,
    response_format: { type: 'json_object', schema: answerJsonSchemaText },
    stream: true,
    stream_options: { include_usage: true },
  };
}
