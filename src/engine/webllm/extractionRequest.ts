import type { ChatCompletionRequestStreaming } from '@mlc-ai/web-llm';

import { answerJsonSchemaText } from '../../core/schema/jsonSchema';
import { buildChatRequest } from './chatRequest';

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
  return buildChatRequest(prompt, {
    maxTokens,
    jsonSchema: answerJsonSchemaText,
    thinkingOff: true,
  });
}
