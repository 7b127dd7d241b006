import { answerJsonSchema } from '../../core/schema/jsonSchema';
import type { GuidedDecodingMode } from './endpointSettings';

/** The name the schema travels under in `response_format.json_schema.name`. */
export const answerSchemaName = 'dimmem_memories';

export interface ChatRequestOptions {
  model: string;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  guidedDecoding: GuidedDecodingMode;
  extraBody?: Record<string, unknown>;
}

/** The JSON-schema constraint in the form the chosen server understands. */
function guidedDecodingFields(mode: GuidedDecodingMode): Record<string, unknown> {
  switch (mode) {
    case 'json-schema':
      return {
        response_format: {
          type: 'json_schema',
          json_schema: { name: answerSchemaName, schema: answerJsonSchema, strict: true },
        },
      };
    case 'structured-outputs':
      return { structured_outputs: { json: answerJsonSchema } };
    case 'guided-json':
      return { guided_json: answerJsonSchema };
    case 'json-object':
      return { response_format: { type: 'json_object', schema: answerJsonSchema } };
    case 'none':
      return {};
  }
}

/**
 * The chat-completions body for one window, with the model's generation settings (design §1):
 * the whole prompt as one user message, greedy decoding, thinking off through the Qwen3 chat
 * template's `enable_thinking` (vLLM and llama.cpp pass `chat_template_kwargs` to the template).
 */
export function buildChatRequest(options: ChatRequestOptions): Record<string, unknown> {
  return {
    model: options.model,
    messages: [{ role: 'user', content: options.prompt }],
    temperature: 0,
    max_tokens: options.maxTokens,
    chat_template_kwargs: { enable_thinking: false },
    ...guidedDecodingFields(options.guidedDecoding),
    stream: options.stream,
    ...(options.stream ? { stream_options: { include_usage: true } } : {}),
    ...options.extraBody,
  };
}
