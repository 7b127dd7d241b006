import type { ConsolidationDecision, ConsolidationMemory } from '../../core/consolidate';
import {
  buildConsolidationPrompt,
  consolidationDecisionJsonSchema,
  consolidationDecisionSchemaName,
  parseConsolidationDecision,
} from '../../core/consolidate';
import { errorText } from '../../core/errorText';
import { abortableSleep } from '../../core/time/abortableSleep';
import {
  createOpenAiEndpointEngine,
  EndpointError,
  isRetryableEndpointError,
} from '../../engine/openai';
import type { CliIo } from '../command';
import { CliError, exitCodes } from '../command';
import type { RetryPolicy } from '../extract/retry';
import { withRetry } from '../extract/retry';

export interface DecisionServer {
  baseUrl: string;
  model: string;
  apiKey?: string;
  retry: RetryPolicy;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** A decision, or why the model's answer could not be used (the pair stays undecided). */
export type ModelAnswer =
  { decision: ConsolidationDecision; error: null } | { decision: null; error: string };

/** The reference asks for at most 1024 tokens; a decision is a few sentences. */
const MAX_DECISION_TOKENS = 1024;

/**
 * Decides pairs with an instruction model on an OpenAI-compatible server: the reference's prompt
 * at temperature 0, constrained to the decision schema. Server errors worth retrying are retried
 * as `extract` retries windows (backoff, Retry-After); a server that still fails ends the command
 * (exit 3). An answer off the schema, or cut at the token limit, leaves the pair undecided.
 */
export async function connectDecider(
  server: DecisionServer,
  io: CliIo,
): Promise<(newer: ConsolidationMemory, older: ConsolidationMemory) => Promise<ModelAnswer>> {
  const engine = createOpenAiEndpointEngine(
    {
      baseUrl: server.baseUrl,
      apiKey: server.apiKey,
      guidedDecoding: 'none',
      stream: false,
      extraBody: {
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: consolidationDecisionSchemaName,
            schema: consolidationDecisionJsonSchema,
            strict: true,
          },
        },
      },
    },
    { fetch: server.fetch },
  );
  const asServerError = (error: unknown): never => {
    if (error instanceof EndpointError)
      throw new CliError(error.message, exitCodes.server, { cause: error });
    throw error;
  };
  await engine.load(server.model, () => {}).catch(asServerError);
  return async (newer, older) => {
    const prompt = buildConsolidationPrompt(newer, older);
    const result = await withRetry(
      () => engine.extract(prompt, { maxTokens: MAX_DECISION_TOKENS }),
      server.retry,
      {
        isRetryable: isRetryableEndpointError,
        requestedDelay: (error) => (error instanceof EndpointError ? error.retryAfterMs : null),
        onRetry: (error, retry, delayMs) =>
          io.note(
            `${older.id} / ${newer.id}: ${errorText(error)}; retry ${retry} in ${Math.round(delayMs / 1000)} s`,
          ),
        sleep: server.sleep ?? abortableSleep,
      },
    ).catch(asServerError);
    if (result.finishReason === 'length')
      return { decision: null, error: `stopped at ${MAX_DECISION_TOKENS} tokens` };
    try {
      return { decision: parseConsolidationDecision(result.text), error: null };
    } catch (error) {
      return { decision: null, error: errorText(error) };
    }
  };
}
