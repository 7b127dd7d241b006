import { createParser } from 'eventsource-parser';

import type {
  EngineStatus,
  ExtractionEngine,
  ExtractOptions,
  ExtractResult,
  LoadProgress,
} from '../types';
import { buildChatRequest } from './chatRequest';
import type { ChatUsage } from './chatResponse';
import {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  errorBodySchema,
  modelListSchema,
} from './chatResponse';
import type { EndpointSettings, EndpointSettingsInput } from './endpointSettings';
import { endpointSettingsSchema, normalizeBaseUrl } from './endpointSettings';
import { EndpointError, ModelNotServedError, StreamCutError } from './endpointError';
import { IdleDeadline } from './idleDeadline';
import { retryAfterMs } from './retryAfter';

export interface OpenAiEndpointEngineOptions {
  /** Injected in tests; defaults to the global `fetch` (browser or Node ≥ 18). */
  fetch?: typeof fetch;
  /** Milliseconds clock for timings; defaults to `performance.now`. */
  now?: () => number;
}

/** What one answer looked like on the wire, before it becomes an `ExtractResult`. */
interface WireAnswer {
  text: string;
  serverFinishReason: string | null;
  usage: ChatUsage | null;
  serverTimings: { prompt_per_second?: number; predicted_per_second?: number } | null;
  firstTokenAt: number | null;
  aborted: boolean;
}

const errorBodyPreviewChars = 500;

/**
 * DimMem-4B behind an OpenAI-compatible chat-completions server (vLLM, llama.cpp, Ollama, …).
 * The prompt, windows and parsing stay in `src/core`; this class only carries one prompt to the
 * server and the answer back. Concurrent `extract` calls are allowed (servers batch them).
 */
export class OpenAiEndpointEngine implements ExtractionEngine {
  readonly kind = 'openai-endpoint' as const;
  readonly settings: EndpointSettings;
  readonly baseUrl: string;
  private loadedModel: string | null = null;
  private currentStatus: EngineStatus = { state: 'idle' };
  private inFlight = 0;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(settings: EndpointSettingsInput, options: OpenAiEndpointEngineOptions = {}) {
    this.settings = endpointSettingsSchema.parse(settings);
    this.baseUrl = normalizeBaseUrl(this.settings.baseUrl);
    // Bound so that a browser's `fetch` keeps its `this` (calling it detached throws).
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.now = options.now ?? (() => performance.now());
  }

  get modelId(): string | null {
    return this.loadedModel;
  }

  status(): EngineStatus {
    return this.currentStatus;
  }

  /**
   * "Loading" a server model means checking that the server answers and serves `modelId`. A
   * server without `/models` (404/405) is given the benefit of the doubt.
   */
  async load(
    modelId: string,
    onProgress: (progress: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const checking: LoadProgress = {
      phase: 'check',
      fraction: null,
      text: `Asking ${this.baseUrl} for model ${modelId}…`,
    };
    this.currentStatus = { state: 'loading', progress: checking };
    onProgress(checking);
    try {
      const served = await this.servedModels(signal);
      if (served !== null && !served.includes(modelId)) {
        throw new ModelNotServedError(this.baseUrl, modelId, served);
      }
    } catch (error) {
      this.currentStatus = { state: 'error', message: messageOf(error) };
      throw error;
    }
    this.loadedModel = modelId;
    this.currentStatus = { state: 'ready', modelId };
    onProgress({ phase: 'ready', fraction: 1, text: `${modelId} at ${this.baseUrl}` });
  }

  async unload(): Promise<void> {
    this.loadedModel = null;
    this.currentStatus = { state: 'idle' };
  }

  async extract(prompt: string, options: ExtractOptions): Promise<ExtractResult> {
    const model = this.loadedModel;
    if (model === null) throw new Error('Load a model before extracting.');
    const startedAt = this.now();
    this.inFlight += 1;
    this.currentStatus = { state: 'generating', modelId: model };
    try {
      const wire = await this.complete(model, prompt, options);
      return this.toResult(wire, startedAt);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0 && this.loadedModel !== null) {
        this.currentStatus = { state: 'ready', modelId: this.loadedModel };
      }
    }
  }

  private async servedModels(signal?: AbortSignal): Promise<string[] | null> {
    const url = `${this.baseUrl}/models`;
    const deadline = new IdleDeadline(Math.min(this.settings.idleTimeoutMs, 30_000), signal);
    try {
      const response = await this.send(url, { method: 'GET' }, deadline);
      if (response.status === 404 || response.status === 405) return null;
      if (!response.ok) throw await httpError(response, url);
      const list = modelListSchema.safeParse(parseJson(await response.text()));
      return list.success ? list.data.data.map((entry) => entry.id) : null;
    } catch (error) {
      if (deadline.cancelledByCaller) throw error;
      throw asEndpointError(error, deadline, url);
    } finally {
      deadline.dispose();
    }
  }

  private async complete(
    model: string,
    prompt: string,
    options: ExtractOptions,
  ): Promise<WireAnswer> {
    const url = `${this.baseUrl}/chat/completions`;
    const body = buildChatRequest({
      model,
      prompt,
      maxTokens: options.maxTokens,
      stream: this.settings.stream,
      guidedDecoding: this.settings.guidedDecoding,
      extraBody: this.settings.extraBody,
    });
    const deadline = new IdleDeadline(this.settings.idleTimeoutMs, options.signal);
    const partial = emptyAnswer();
    try {
      const response = await this.send(
        url,
        { method: 'POST', body: JSON.stringify(body) },
        deadline,
      );
      if (!response.ok) throw await httpError(response, url);
      // A server may ignore `stream: true` and answer with one JSON document (or a proxy with a
      // web page): the content type says which, whatever was asked for.
      return this.settings.stream && !isWholeDocument(response)
        ? await this.readStream(response, url, deadline, partial, options.onText)
        : await this.readCompletion(response, url, deadline, options.onText);
    } catch (error) {
      // Cancelled: hand back what had arrived, so memories already streamed are not lost.
      if (deadline.cancelledByCaller) return { ...partial, aborted: true };
      throw asEndpointError(error, deadline, url);
    } finally {
      deadline.dispose();
    }
  }

  private async send(url: string, init: RequestInit, deadline: IdleDeadline): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json, text/event-stream' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.settings.apiKey) headers.Authorization = `Bearer ${this.settings.apiKey}`;
    const response = await this.fetchImpl(url, { ...init, headers, signal: deadline.signal });
    deadline.touch();
    return response;
  }

  private async readCompletion(
    response: Response,
    url: string,
    deadline: IdleDeadline,
    onText: ExtractOptions['onText'],
  ): Promise<WireAnswer> {
    let raw: string;
    try {
      raw = await response.text();
    } catch (error) {
      if (deadline.signal.aborted) throw error;
      throw new StreamCutError(url, 0, error);
    }
    deadline.touch();
    return completionFrom(raw, url, onText);
  }

  private async readStream(
    response: Response,
    url: string,
    deadline: IdleDeadline,
    answer: WireAnswer,
    onText: ExtractOptions['onText'],
  ): Promise<WireAnswer> {
    if (response.body === null) throw new EndpointError('protocol', `${url} sent no body.`);
    let done = false;
    let events = 0;
    // Until the first event, what arrived is kept: a body with no events at all is read as a
    // whole document (a server that ignored `stream: true` without saying so in its headers).
    let beforeFirstEvent = '';
    let streamError: EndpointError | null = null;
    const parser = createParser({
      onEvent: (event) => {
        // Only events count as the server being alive; `: keep-alive` comments do not.
        deadline.touch();
        events += 1;
        if (streamError !== null || done) return;
        if (event.data === '[DONE]') {
          done = true;
          return;
        }
        const chunk = chatCompletionChunkSchema.safeParse(parseJson(event.data));
        if (!chunk.success) {
          streamError = new EndpointError('protocol', `${url} streamed: ${preview(event.data)}`);
          return;
        }
        if (chunk.data.error) {
          const status = chunk.data.error.code ?? 500;
          streamError = new EndpointError('http', `${url}: ${chunk.data.error.message}`, status);
          return;
        }
        const choice = chunk.data.choices[0];
        const delta = choice?.delta?.content ?? '';
        if (delta !== '') {
          answer.firstTokenAt ??= this.now();
          answer.text += delta;
          onText?.(answer.text);
        }
        if (choice?.finish_reason) answer.serverFinishReason = choice.finish_reason;
        if (chunk.data.usage) answer.usage = chunk.data.usage;
        if (chunk.data.timings) answer.serverTimings = chunk.data.timings;
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      let read: ReadableStreamReadResult<string>;
      try {
        read = await reader.read();
      } catch (error) {
        // A timeout or a cancel is told apart by the caller; anything else cut the answer off.
        if (deadline.signal.aborted) throw error;
        throw new StreamCutError(url, answer.text.length, error);
      }
      if (read.done) break;
      if (events === 0) beforeFirstEvent += read.value;
      parser.feed(read.value);
      if (streamError !== null) {
        await reader.cancel();
        throw streamError;
      }
    }
    parser.reset({ consume: true });
    if (streamError !== null) throw streamError;
    if (events === 0 && beforeFirstEvent.trim() !== '') {
      return completionFrom(beforeFirstEvent, url, onText);
    }
    if (!done && answer.serverFinishReason === null) {
      // The connection closed mid-answer: what arrived is not the whole answer.
      throw new StreamCutError(url, answer.text.length);
    }
    return answer;
  }

  private toResult(wire: WireAnswer, startedAt: number): ExtractResult {
    const endedAt = this.now();
    const promptTokens = wire.usage?.prompt_tokens ?? 0;
    const completionTokens = wire.usage?.completion_tokens ?? 0;
    const seconds = (ms: number) => ms / 1000;
    const rate = (tokens: number, ms: number) =>
      tokens > 0 && ms > 0 ? tokens / seconds(ms) : null;
    // Streaming lets us split time-to-first-token (prompt) from writing; otherwise only the
    // server's own numbers (llama.cpp) are honest.
    const prefill =
      wire.serverTimings?.prompt_per_second ??
      (wire.firstTokenAt !== null ? rate(promptTokens, wire.firstTokenAt - startedAt) : null);
    const decode =
      wire.serverTimings?.predicted_per_second ??
      (wire.firstTokenAt !== null ? rate(completionTokens - 1, endedAt - wire.firstTokenAt) : null);
    return {
      text: wire.text,
      finishReason: wire.aborted
        ? 'abort'
        : wire.serverFinishReason === 'length'
          ? 'length'
          : 'stop',
      usage: { promptTokens, completionTokens },
      timings: {
        prefillTokensPerSecond: prefill,
        decodeTokensPerSecond: decode,
        totalSeconds: seconds(endedAt - startedAt),
      },
    };
  }
}

export function createOpenAiEndpointEngine(
  settings: EndpointSettingsInput,
  options?: OpenAiEndpointEngineOptions,
): OpenAiEndpointEngine {
  return new OpenAiEndpointEngine(settings, options);
}

function emptyAnswer(): WireAnswer {
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
function isWholeDocument(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return /\bapplication\/json\b|\btext\/html\b/i.test(type);
}

/** A whole chat completion, as a non-streaming request gets it. */
function completionFrom(raw: string, url: string, onText: ExtractOptions['onText']): WireAnswer {
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty)';
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, …) is in its cause.
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

async function httpError(response: Response, url: string): Promise<EndpointError> {
  let detail = '';
  try {
    const text = (await response.text()).slice(0, errorBodyPreviewChars);
    const body = errorBodySchema.safeParse(parseJson(text));
    detail = body.success ? body.data : preview(text);
  } catch {
    // The status alone still says what happened.
  }
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return new EndpointError(
    'http',
    `HTTP ${response.status}${reason} from ${url}${detail ? `: ${detail}` : ''}`,
    response.status,
    undefined,
    retryAfterMs(response.headers.get('retry-after')),
  );
}

function asEndpointError(error: unknown, deadline: IdleDeadline, url: string): EndpointError {
  if (error instanceof EndpointError) return error;
  if (deadline.timedOut) {
    return new EndpointError(
      'timeout',
      `${url} sent nothing for ${Math.round(deadline.idleMs / 1000)} s.`,
      null,
      error,
    );
  }
  // `fetch` rejects with a TypeError for refused connections and, in a browser, for CORS.
  return new EndpointError(
    'network',
    `Could not reach ${url} (${messageOf(error)}). Is the server running, and does it allow this origin (CORS)?`,
    null,
    error,
  );
}
