import { completeChat } from '../../engine/webllm/webLlmChat';
import type { AnswerModel, CompleteOptions } from './answerModel';
import type { AnswerSession, AnswerTarget } from './answerSession';

/** How every answer by a model of WebLLM's list is labelled. */
export const webLlmAnswerLabel = (modelId: string): string => `${modelId} in this browser (WebLLM)`;

/**
 * A model of WebLLM's list as an answer model: it runs on this browser's GPU (so it waits while a
 * run extracts), swapped in for DimMem by the session, greedy, thinking off for Qwen3, the query
 * analysis constrained to its JSON Schema by WebLLM's grammar.
 */
export function webLlmAnswerModel(target: AnswerTarget, session: AnswerSession): AnswerModel {
  const label = webLlmAnswerLabel(target.modelId);
  return {
    label,
    needsGpu: true,
    complete(prompt: string, options: CompleteOptions): Promise<string> {
      const { signal, maxTokens } = options;
      return session.use(target, signal, async (engine) => {
        const result = await completeChat(engine, prompt, {
          maxTokens,
          signal,
          onText: options.onText,
          jsonSchema: options.jsonSchema?.schema,
        });
        if (signal?.aborted || result.finishReason === 'abort') {
          throw new DOMException('Stopped', 'AbortError');
        }
        if (result.finishReason === 'length') {
          throw new Error(`${label} stopped at ${maxTokens} tokens before finishing its answer.`);
        }
        return result.text;
      });
    },
  };
}
