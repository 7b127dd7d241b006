import type { ExtractOptions, ExtractResult } from '../types';
import type { ChatUsage } from './chatResponse';
import { chatCompletionSchema } from './chatResponse';
import { EndpointError } from './endpointError';

/** What one answer looked like on the wire, before it becomes an `ExtractResult`. */
export interface WireAnswer {
  text: string;
  serverFinishReason: string | null;
  usage: ChatUsage | null;
  serverTimings: { prompt_per_second?: number; predicted_per_second?: number } | null;
  firstTokenAt: number | null;
  aborted: boolean;
}

export function emptyAnswer(): WireAnswer {
  return {
    text: '',
    serverFinishReason: null,
    usage: null,
    serverTimings: null,
    firstTokenAt: null,
    aborted: false,
  };
}

/** A response that is one document (JSON, or a web page), not a stream of events. */
export function isWholeDocument(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return /\bapplication\/json\b|\btext\/html\b/i.test(type);
}

/** A whole chat completion, as a non-streaming request gets it. */
export function completionFrom(
  raw: string,
  url: string,
  onText: ExtractOptions['onText'],
): WireAnswer {
  const parsed = chatCompletionSchema.safeParse(parseJson(raw));
  if (!parsed.success) {
    throw (
      htmlPageError(raw, url) ??
      new EndpointError('protocol', `${url} answered with no chat completion: ${preview(raw)}`)
    );
  }
  const choice = parsed.data.choices[0]!;
  const text = choice.message.content ?? '';
  if (text !== '') onText?.(text);
  return {
    text,
    serverFinishReason: choice.finish_reason ?? null,
    usage: parsed.data.usage ?? null,
    serverTimings: parsed.data.timings ?? null,
    firstTokenAt: null,
    aborted: false,
  };
}

/**
 * A web page where an answer was expected (a sign-in page, a web UI, a proxy's notice): said as
 * such, with its title, because the usual cause is a base URL that is not the API's.
 */
function htmlPageError(raw: string, url: string): EndpointError | null {
  if (!/^\s*<(!doctype\s+html|html|head|body)\b/i.test(raw)) return null;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(raw)?.[1]?.replace(/\s+/g, ' ').trim();
  return new EndpointError(
    'protocol',
    `${url} answered with an HTML page${title ? ` (${JSON.stringify(title)})` : ''} instead of a chat completion: check the base URL (an OpenAI-compatible API usually ends in /v1).`,
  );
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The start of a text on one line, for error messages. */
export function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty)';
}

/**
 * The answer as the app records it. Streaming lets us split time-to-first-token (prompt) from
 * writing; otherwise only the server's own numbers (llama.cpp) are honest.
 */
export function resultFromWire(
  wire: WireAnswer,
  startedAt: number,
  endedAt: number,
): ExtractResult {
  const promptTokens = wire.usage?.prompt_tokens ?? 0;
  const completionTokens = wire.usage?.completion_tokens ?? 0;
  const seconds = (ms: number) => ms / 1000;
  const rate = (tokens: number, ms: number) => (tokens > 0 && ms > 0 ? tokens / seconds(ms) : null);
  const prefill =
    wire.serverTimings?.prompt_per_second ??
    (wire.firstTokenAt !== null ? rate(promptTokens, wire.firstTokenAt - startedAt) : null);
  const decode =
    wire.serverTimings?.predicted_per_second ??
    (wire.firstTokenAt !== null ? rate(completionTokens - 1, endedAt - wire.firstTokenAt) : null);
  return {
    text: wire.text,
    finishReason: wire.aborted ? 'abort' : wire.serverFinishReason === 'length' ? 'length' : 'stop',
    usage: { promptTokens, completionTokens },
    timings: {
      prefillTokensPerSecond: prefill,
      decodeTokensPerSecond: decode,
      totalSeconds: seconds(endedAt - startedAt),
    },
  };
}
