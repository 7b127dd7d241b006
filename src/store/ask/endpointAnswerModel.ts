import { errorText } from '../../core/errorText';
import {
  createOpenAiEndpointEngine,
  describeEndpointFailure,
  EndpointError,
  normalizeBaseUrl,
} from '../../engine/openai';
import type { SavedEndpoint } from '../engine/endpointStorage';
import type { AnswerModel, CompleteOptions } from './answerModel';

export interface EndpointAnswerOptions {
  apiKey?: string | null;
  /** Injected in tests. */
  fetch?: typeof fetch;
}

/**
 * The OpenAI-compatible endpoint saved in the Model view, as an answer model: each prompt goes to
 * its `/chat/completions` through the endpoint engine (its checks, timeouts, streaming and error
 * messages), unconstrained for answers and with the query analysis' JSON Schema for analyses.
 */
export function endpointAnswerModel(
  endpoint: SavedEndpoint,
  options: EndpointAnswerOptions = {},
): AnswerModel {
  const baseUrl = normalizeBaseUrl(endpoint.settings.baseUrl);
  const label = `${endpoint.model} at ${baseUrl}`;
  return {
    label,
    needsGpu: false,
    async complete(prompt: string, complete: CompleteOptions): Promise<string> {
      const { jsonSchema } = complete;
      const engine = createOpenAiEndpointEngine(
        {
          ...endpoint.settings,
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
          guidedDecoding: 'none',
          // The analysis is read whole; answers stream as the user's setting says.
          stream: jsonSchema === undefined ? endpoint.settings.stream : false,
          extraBody: {
            ...endpoint.settings.extraBody,
            ...(jsonSchema === undefined
              ? {}
              : {
                  response_format: {
                    type: 'json_schema',
                    json_schema: { name: jsonSchema.name, schema: jsonSchema.schema, strict: true },
                  },
                }),
          },
        },
        options.fetch ? { fetch: options.fetch } : {},
      );
      try {
        await engine.load(endpoint.model, () => undefined, complete.signal);
        const result = await engine.extract(prompt, {
          maxTokens: complete.maxTokens,
          signal: complete.signal,
          onText: complete.onText,
        });
        if (result.finishReason === 'length') {
          throw new Error(
            `${label} stopped at ${complete.maxTokens} tokens before finishing its answer.`,
          );
        }
        return result.text;
      } catch (error) {
        if (!(error instanceof EndpointError)) throw error;
        const failure = describeEndpointFailure(error, {
          baseUrl,
          appOrigin: globalThis.location?.origin ?? '',
        });
        throw new Error(`${failure.advice} (${errorText(error)})`, { cause: error });
      }
    },
  };
}
