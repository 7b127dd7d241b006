import { MINILM_DIMENSIONS, MINILM_EMBEDDER_ID } from '../miniLmModel';
import type { FromEmbeddingsWorker, ToEmbeddingsWorker } from './workerProtocol';

export interface WorkerEmbedderOptions {
  /** How long one download request may take before loading gives up (ms). Default 15 s. */
  fetchTimeoutMs?: number;
  /** Called once ONNX Runtime has started, with the URL its WebAssembly came from. */
  onRuntime?: (wasmUrl: string) => void;
}

type Pending = { resolve: (vectors: Float32Array[]) => void; reject: (error: Error) => void };

/**
 * all-MiniLM-L6-v2 in a Web Worker (embeddingsWorker.ts), for the page: the same model id and
 * vectors as the CLI's MiniLmEmbedder (within float tolerance). The worker, transformers.js and
 * ONNX Runtime load on `load`, not before. Requests are answered in order; an aborted request's
 * answer is dropped (the worker cannot stop a batch half way).
 */
export class WorkerEmbedder {
  readonly modelId = MINILM_EMBEDDER_ID;
  readonly dimensions = MINILM_DIMENSIONS;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;

  constructor(private readonly options: WorkerEmbedderOptions = {}) {}

  load(
    onProgress: (progress: { file: string; loaded: number; total: number }) => void,
  ): Promise<{ device: string }> {
    const worker = new Worker(new URL('./embeddingsWorker.ts', import.meta.url), {
      type: 'module',
      name: 'dimmem-embeddings',
    });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.onerror = (event) => {
        const error = new Error(
          `the embeddings worker stopped${event.message ? `: ${event.message}` : ''}`,
        );
        this.fail(error);
        reject(error);
      };
      worker.onmessage = (event: MessageEvent<FromEmbeddingsWorker>) => {
        const message = event.data;
        switch (message.type) {
          case 'progress':
            onProgress(message);
            return;
          case 'runtime':
            this.options.onRuntime?.(message.wasmUrl);
            return;
          case 'loaded':
            resolve({ device: message.device });
            return;
          case 'load-failed':
            reject(new Error(message.message));
            return;
          case 'embedded':
            this.settle(message.id)?.resolve(message.vectors);
            return;
          case 'embed-failed':
            this.settle(message.id)?.reject(new Error(message.message));
            return;
        }
      };
      this.send({ type: 'load', fetchTimeoutMs: this.options.fetchTimeoutMs ?? 15_000 });
    });
  }

  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    if (this.failure) return Promise.reject(this.failure);
    if (!this.worker) return Promise.reject(new Error('the embedding model is not loaded'));
    signal?.throwIfAborted();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => this.settle(id)?.reject(signal.reason as Error), {
        once: true,
      });
      this.send({ type: 'embed', id, texts: [...texts] });
    });
  }

  dispose(): void {
    this.fail(new Error('the embedding model was closed'));
    this.worker?.terminate();
    this.worker = null;
  }

  private send(message: ToEmbeddingsWorker): void {
    this.worker?.postMessage(message);
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    this.pending.delete(id);
    return entry;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      entry.reject(error);
    }
  }
}
