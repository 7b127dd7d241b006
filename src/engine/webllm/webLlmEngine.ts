import type {
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  CreateWebWorkerMLCEngine,
  MLCEngineInterface,
  ModelRecord,
} from '@mlc-ai/web-llm';

import { EngineError, abortError } from '../errors/engineError';
import { engineErrorFromWorker } from '../errors/serializedError';
import type {
  EngineStatus,
  ExtractionEngine,
  ExtractOptions,
  ExtractResult,
  LoadProgress,
  LoadProgressListener,
} from '../types';
import { buildExtractionRequest } from './extractionRequest';
import { createInitProgressMapper } from './initProgress';
import workerScriptUrl from './worker.ts?worker&url';

/** The part of `@mlc-ai/web-llm` the engine uses; loaded lazily so it stays out of the first load. */
export interface WebLlmModule {
  CreateWebWorkerMLCEngine: typeof CreateWebWorkerMLCEngine;
}

type WorkerEngine = Pick<MLCEngineInterface, 'chat' | 'interruptGenerate' | 'unload'>;

/** Puts a model's files into WebLLM's cache before WebLLM loads it (the download phase). */
export type PrepareModel = (
  record: ModelRecord,
  onProgress: (progress: LoadProgress) => void,
  signal?: AbortSignal,
) => Promise<{ weightBytes: number | null }>;

export interface WebLlmEngineOptions {
  /** The catalog's records, read when `load` is called. */
  records: () => readonly ModelRecord[];
  prepare: PrepareModel;
  importWebLlm?: () => Promise<WebLlmModule>;
  createWorker?: () => Worker;
  now?: () => number;
}

let workerBootstrapUrl: string | null = null;

/**
 * The model's worker, started from a blob: URL whose only line imports the real worker script.
 * A worker from a blob: URL inherits the page's Content Security Policy, including the narrowed
 * `connect-src` (one from a same-origin URL would get only the policy of its own response
 * headers, none for a `<meta>` policy): WebLLM's fetches in the worker — it reads the model from
 * the cache the app filled, and fetches only on a cache miss — keep to the same allow-list.
 */
function defaultWorker(): Worker {
  if (workerBootstrapUrl === null) {
    const script = new URL(workerScriptUrl, window.location.href).href;
    const bootstrap = new Blob([`import ${JSON.stringify(script)};\n`], {
      type: 'text/javascript',
    });
    workerBootstrapUrl = URL.createObjectURL(bootstrap);
  }
  return new Worker(workerBootstrapUrl, { type: 'module' });
}

function finishReasonOf(reason: string | null, aborted: boolean): ExtractResult['finishReason'] {
  if (aborted || reason === 'abort') return 'abort';
  return reason === 'length' ? 'length' : 'stop';
}

/** DimMem-4B (or the base Qwen3-4B) through WebLLM, running in its own Web Worker. */
export class WebLlmEngine implements ExtractionEngine {
  readonly kind = 'webllm' as const;
  private current: { engine: WorkerEngine; worker: Worker; modelId: string } | null = null;
  private state: EngineStatus = { state: 'idle' };
  private readonly options: WebLlmEngineOptions;

  constructor(options: WebLlmEngineOptions) {
    this.options = options;
  }

  get modelId(): string | null {
    return this.current?.modelId ?? null;
  }

  status(): EngineStatus {
    return this.state;
  }

  async load(
    modelId: string,
    onProgress: LoadProgressListener,
    signal?: AbortSignal,
  ): Promise<void> {
    const record = this.options.records().find((candidate) => candidate.model_id === modelId);
    if (!record)
      throw new EngineError('model-config-invalid', `No model "${modelId}" in the catalog.`);
    await this.unload();
    const report = (progress: LoadProgress) => {
      this.state = { state: 'loading', progress };
      onProgress(progress);
    };
    try {
      if (signal?.aborted) throw abortError();
      report({ phase: 'check', fraction: null, text: 'Checking the model files…' });
      const { weightBytes } = await this.options.prepare(record, report, signal);
      if (signal?.aborted) throw abortError();
      const webllm = await (this.options.importWebLlm ?? (() => import('@mlc-ai/web-llm')))();
      const worker = (this.options.createWorker ?? defaultWorker)();
      const toProgress = createInitProgressMapper(weightBytes);
      const engine = await this.raceWorker(
        worker,
        webllm.CreateWebWorkerMLCEngine(worker, modelId, {
          appConfig: { model_list: [record] },
          initProgressCallback: (initReport) => report(toProgress(initReport)),
        }),
        signal,
      );
      this.current = { engine, worker, modelId };
      this.state = { state: 'ready', modelId };
      onProgress({ phase: 'ready', fraction: 1, text: 'Ready.' });
    } catch (error) {
      const failure = signal?.aborted ? abortError() : engineErrorFromWorker(error);
      this.state =
        failure instanceof EngineError
          ? { state: 'error', message: failure.message }
          : { state: 'idle' };
      throw failure;
    }
  }

  /**
   * Waits for a worker request, but gives up (and stops the worker, which frees its GPU memory)
   * when the user cancels or the worker dies: nothing is left hanging.
   */
  private raceWorker<T>(worker: Worker, request: Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stop = (reason: unknown) => {
        worker.terminate();
        reject(reason);
      };
      const onAbort = () => stop(abortError());
      const onError = (event: ErrorEvent) =>
        stop(new EngineError('worker-crashed', event.message || 'worker error'));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.addEventListener('error', onError);
      const cleanUp = () => {
        signal?.removeEventListener('abort', onAbort);
        worker.removeEventListener('error', onError);
      };
      request.then(
        (value) => {
          cleanUp();
          resolve(value);
        },
        (error: unknown) => {
          cleanUp();
          stop(error);
        },
      );
    });
  }

  async extract(prompt: string, options: ExtractOptions): Promise<ExtractResult> {
    return this.generate(buildExtractionRequest(prompt, options.maxTokens), options);
  }

  /**
   * Streams one chat completion of the loaded model (the extraction request, or an answer's:
   * see `webLlmChat.ts`); `options.maxTokens` is the request's own.
   */
  async generate(
    request: ChatCompletionRequestStreaming,
    options: ExtractOptions,
  ): Promise<ExtractResult> {
    const current = this.current;
    if (!current) throw new EngineError('unknown', 'Load a model before extracting.');
    const { engine, modelId } = current;
    const now = this.options.now ?? (() => performance.now());
    const started = now();
    const { signal, onText } = options;
    const empty = { promptTokens: 0, completionTokens: 0 };
    if (signal?.aborted) {
      return { text: '', finishReason: 'abort', usage: empty, timings: noTimings(0) };
    }
    const interrupt = () => engine.interruptGenerate();
    signal?.addEventListener('abort', interrupt, { once: true });
    this.state = { state: 'generating', modelId };
    try {
      const stream = await engine.chat.completions.create(request);
      let text = '';
      let reason: string | null = null;
      let usage: ChatCompletionChunk['usage'] | undefined;
      for await (const chunk of stream) {
        // An interrupt sent before generation began is cleared by WebLLM: repeat it.
        if (signal?.aborted) engine.interruptGenerate();
        const choice = chunk.choices[0];
        const delta = choice?.delta.content ?? '';
        if (delta) {
          text += delta;
          onText?.(text);
        }
        if (choice?.finish_reason) reason = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      const totalSeconds = (now() - started) / 1000;
      return {
        text,
        finishReason: finishReasonOf(reason, signal?.aborted ?? false),
        usage: usage
          ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }
          : empty,
        timings: usage
          ? {
              prefillTokensPerSecond: usage.extra.prefill_tokens_per_s ?? null,
              decodeTokensPerSecond: usage.extra.decode_tokens_per_s ?? null,
              totalSeconds,
            }
          : noTimings(totalSeconds),
      };
    } catch (error) {
      const failure = engineErrorFromWorker(error);
      this.state = { state: 'error', message: failure.message };
      throw failure;
    } finally {
      signal?.removeEventListener('abort', interrupt);
      if (this.state.state === 'generating') this.state = { state: 'ready', modelId };
    }
  }

  async unload(): Promise<void> {
    const current = this.current;
    this.current = null;
    this.state = { state: 'idle' };
    if (!current) return;
    try {
      await current.engine.unload();
    } catch {
      // The worker is stopped below either way; an unload error leaves nothing to clean.
    } finally {
      current.worker.terminate();
    }
  }
}

function noTimings(totalSeconds: number): ExtractResult['timings'] {
  return { prefillTokensPerSecond: null, decodeTokensPerSecond: null, totalSeconds };
}
