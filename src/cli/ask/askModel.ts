import {
  buildQueryAnalysisPrompt,
  parseQueryAnalysis,
  queryAnalysisJsonSchema,
  queryAnalysisSchemaName,
  type QueryAnalysis,
} from '../../core/search';
import { errorText } from '../../core/errorText';
import { createOpenAiEndpointEngine, EndpointError } from '../../engine/openai';
import { CliError, exitCodes } from '../command';

export interface AskServer {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Seconds without a byte from the server before a request fails. */
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * One prompt to the server's model, answered whole. The endpoint engine carries it (its checks,
 * timeouts and error messages); `responseFormat` is sent as the request's `response_format`.
 */
async function complete(
  server: AskServer,
  prompt: string,
  maxTokens: number,
  responseFormat?: unknown,
): Promise<string> {
  const engine = createOpenAiEndpointEngine(
    {
      baseUrl: server.baseUrl,
      apiKey: server.apiKey,
      guidedDecoding: 'none',
      stream: false,
      idleTimeoutMs: server.idleTimeoutMs,
      extraBody: responseFormat === undefined ? undefined : { response_format: responseFormat },
    },
    { fetch: server.fetch },
  );
  try {
    await engine.load(server.model, () => {});
    const result = await engine.extract(prompt, { maxTokens });
    if (result.finishReason === 'length') {
      throw new CliError(
        `${server.model} at ${server.baseUrl} stopped at ${maxTokens} tokens before finishing its answer.`,
        exitCodes.server,
      );
    }
    return result.text;
  } catch (error) {
    // The endpoint's messages say what happened (unreachable, HTTP status, model not served).
    if (error instanceof EndpointError)
      throw new CliError(error.message, exitCodes.server, { cause: error });
    throw error;
  }
}

export interface ModelAnalysis {
  analysis: QueryAnalysis | null;
  /** The model's text as it came (kept for --json when it was off-schema). */
  raw: string;
  /** Why the model's analysis is not used, or null. */
  error: string | null;
}

/**
 * The reference's query analysis: its prompt at temperature 0, constrained to the analysis schema
 * (every key the prompt asks for). An answer that does not fit is reported, not used.
 */
export async function analyseQuestion(
  server: AskServer,
  question: string,
  questionDate: string,
): Promise<ModelAnalysis> {
  const raw = await complete(server, buildQueryAnalysisPrompt(question, questionDate), 1024, {
    type: 'json_schema',
    json_schema: { name: queryAnalysisSchemaName, schema: queryAnalysisJsonSchema, strict: true },
  });
  try {
    return { analysis: parseQueryAnalysis(raw), raw, error: null };
  } catch (error) {
    return { analysis: null, raw, error: errorText(error) };
  }
}

/** The answer to the answer prompt, as the model wrote it. */
export function answerQuestion(server: AskServer, prompt: string): Promise<string> {
  return complete(server, prompt, 2048);
}
