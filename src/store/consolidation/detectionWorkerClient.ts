import type { ConsolidationMemory, Detection } from '../../core/consolidate';
import { errorText } from '../../core/errorText';
import type { Embedder } from '../../core/search/embedder';
import type { DetectionWorkerRequest, DetectionWorkerResponse } from './detectionWorkerProtocol';
import { unpackDetection } from './packedDetection';
import type { DetectionRunner } from './pairDetector';

/** What the client needs of a worker: a real `Worker`, or a test's in-process channel. */
export interface DetectionWorkerPort {
  postMessage(message: DetectionWorkerRequest, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<DetectionWorkerResponse>) => void) | null;
  /** The worker itself failed: it could not load, or it threw outside a detection. */
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

interface Pending {
  resolve: (detection: Detection) => void;
  reject: (error: unknown) => void;
  /** The memories sent: the packed pairs name them by position. */
  memories: readonly ConsolidationMemory[];
  /** The page's embedder (through its ContentVectorCache), which answers the worker's requests. */
  embedder: Embedder | null;
  /** Stops the page's embedding for this detection once it is settled. */
  embedding: AbortController;
  stopListening: () => void;
}

/**
 * The page's side of the detection worker: one worker, started on first use and again after it
 * died. Each detection is one request; the worker asks for vectors, the page answers with its
 * embedder, packed into one transferred Float32Array.
 */
export class DetectionWorkerClient {
  private port: DetectionWorkerPort | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly startPort: () => DetectionWorkerPort) {}

  /** A DetectionRunner: detection in the worker, cancelled when `signal` aborts. */
  readonly detect: DetectionRunner = (memories, embedder, signal) => {
    if (signal.aborted) return Promise.reject(signal.reason);
    const port = this.start();
    const id = this.nextId++;
    return new Promise<Detection>((resolve, reject) => {
      const cancel = () => {
        port.postMessage({ type: 'cancel', id }, []);
        this.settle(id)?.reject(signal.reason);
      };
      signal.addEventListener('abort', cancel, { once: true });
      this.pending.set(id, {
        resolve,
        reject,
        memories,
        embedder,
        embedding: new AbortController(),
        stopListening: () => signal.removeEventListener('abort', cancel),
      });
      const info = embedder && { modelId: embedder.modelId, dimensions: embedder.dimensions };
      try {
        port.postMessage({ type: 'detect', id, memories, embedder: info }, []);
      } catch (error) {
        // The memories could not be cloned: nothing was sent, nothing waits.
        this.settle(id)?.reject(error);
      }
    });
  };

  private start(): DetectionWorkerPort {
    if (this.port) return this.port;
    const port = this.startPort();
    port.onmessage = (event) => this.receive(port, event.data);
    port.onerror = (event) => {
      // Every detection waiting on it fails; the next one starts a fresh worker.
      const error = new Error(`the detection worker stopped: ${event.message || 'load error'}`);
      for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
      if (this.port === port) this.port = null;
      port.terminate();
    };
    this.port = port;
    return port;
  }

  /** Takes detection `id` out of the waiting list (undefined when it was settled before). */
  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    pending.stopListening();
    pending.embedding.abort();
    return pending;
  }

  private receive(port: DetectionWorkerPort, message: DetectionWorkerResponse): void {
    switch (message.type) {
      case 'embed':
        return this.answerEmbed(port, message);
      case 'done': {
        const pending = this.settle(message.id);
        return pending?.resolve(unpackDetection(message.detection, pending.memories));
      }
      case 'failed': {
        const error = message.cancelled
          ? new DOMException(message.message, 'AbortError')
          : new Error(message.message);
        return this.settle(message.id)?.reject(error);
      }
    }
  }

  private answerEmbed(
    port: DetectionWorkerPort,
    { id, detection, texts }: Extract<DetectionWorkerResponse, { type: 'embed' }>,
  ): void {
    const pending = this.pending.get(detection);
    const fail = (error: unknown) =>
      port.postMessage({ type: 'embed-failed', id, message: errorText(error) }, []);
    if (!pending?.embedder) return fail(new Error(`no embedder for detection ${detection}`));
    const { embedder, embedding } = pending;
    embedder
      .embed(texts, embedding.signal)
      .then((vectors) => {
        if (vectors.length !== texts.length)
          throw new Error(
            `the embedder returned ${vectors.length} vectors for ${texts.length} texts`,
          );
        // Copied, so the cache keeps its own vectors when the buffer is transferred.
        const flat = new Float32Array(texts.length * embedder.dimensions);
        vectors.forEach((vector, index) => {
          if (vector.length !== embedder.dimensions)
            throw new Error(`a vector of ${vector.length} floats, not ${embedder.dimensions}`);
          flat.set(vector, index * embedder.dimensions);
        });
        port.postMessage({ type: 'vectors', id, vectors: flat }, [flat.buffer]);
      })
      .catch(fail);
  }
}

/** The app's detection worker (src/store/consolidation/detectionWorker.ts). */
export const detectionWorker = new DetectionWorkerClient(
  () => new Worker(new URL('./detectionWorker.ts', import.meta.url), { type: 'module' }),
);
