import { EngineState } from '../engineState';
import type { ExtractOptions, ExtractResult, LoadProgress, LoadProgressListener } from '../types';
import { buildChatRequest } from './chatRequest';
import { readAnswerStream } from './answerStream';
import { modelListSchema } from './chatResponse';
import type { EndpointSettings, EndpointSettingsInput } from './endpointSettings';
import { endpointSettingsSchema, normalizeBaseUrl } from './endpointSettings';
import { messageWithCause, ModelNotServedError, StreamCutError } from './endpointError';
import { IdleDeadline } from './idleDeadline';
import { asEndpointError, httpError } from './requestErrors';
import {
  completionFrom,
  emptyAnswer,
  isWholeDocument,
  parseJson,
  resultFromWire,
} from './wireAnswer';
import type { WireAnswer } from './wireAnswer';

export interface OpenAiEndpointEngineOptions {
  /** Injected in tests; defaults to the global `fetch` (browser or Node ≥ 18). */
  fetch?: typeof fetch;
  /** Milliseconds clock for timings; defaults to `performance.now`. */
  now?: () => number;
}

/**
 * DimMem-4B behind an OpenAI-compatible chat-completions server (vLLM, llama.cpp, Ollama, …).
 * The prompt, windows and parsing stay in `src/core`; this class only carries one prompt to the
 * server and the answer back. Concurrent `extract` calls are allowed (servers batch them).
 */
export class OpenAiEndpointEngine extends EngineState {
  readonly kind = 'openai-endpoint' as const;
  readonly settings: EndpointSettings;
  readonly baseUrl: string;
  private inFlight = 0;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(settings: EndpointSettingsInput, options: OpenAiEndpointEngineOptions = {}) {
    super();
    this.settings = endpointSettingsSchema.parse(settings);
    this.baseUrl = normalizeBaseUrl(this.settings.baseUrl);
    // Bound so that a browser's `fetch` keeps its `this` (calling it detached throws).
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * "Loading" a server model means checking that the server answers and serves `modelId`. A
   * server without `/models` (404/405) is given the benefit of the doubt.
   */
  async load(
    modelId: string,
    onProgress: LoadProgressListener,
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
      this.currentStatus = { state: 'error', message: messageWithCause(error) };
      throw error;
    }
    this.loadedModel = modelId;
    this.currentStatus = { state: 'ready', modelId };
    onProgress({ phase: 'ready', fraction: 1, text: `${modelId} at ${this.baseUrl}` });
  }

  async extract(prompt: string, options: ExtractOptions): Promise<ExtractResult> {
    const model = this.loadedModel;
    if (model === null) throw new Error('Load a model before extracting.');
    const startedAt = this.now();
    this.inFlight += 1;
    this.currentStatus = { state: 'generating', modelId: model };
    try {
      const wire = await this.complete(model, prompt, options);
      return resultFromWire(wire, startedAt, this.now());
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
        ? await readAnswerStream({
            response,
            url,
            deadline,
            answer: partial,
            onText: options.onText,
            now: this.now,
          })
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
}

export function createOpenAiEndpointEngine(
  settings: EndpointSettingsInput,
  options?: OpenAiEndpointEngineOptions,
): OpenAiEndpointEngine {
  return new OpenAiEndpointEngine(settings, options);
}
