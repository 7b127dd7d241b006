import { errorText } from '../../core/errorText';
import type { Embedder } from '../../core/search/embedder';
import type {
  DetectionWorkerRequest,
  DetectionWorkerResponse,
  EmbedderInfo,
} from './detectionWorkerProtocol';
import { packDetection } from './packedDetection';
import { detectFallingBack } from './pairDetector';

/** How the worker answers the page: `self.postMessage`, or a test's in-process channel. */
export type PostToPage = (message: DetectionWorkerResponse, transfer?: Transferable[]) => void;

interface PendingEmbed {
  count: number;
  dimensions: number;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

/**
 * The detection worker's side (src/store/consolidation/detectionWorker.ts runs it): core's
 * detection, asking the page for vectors (the embedder and its cache stay on the page). Kept apart
 * from the worker's global scope so tests drive it in Node.
 */
export function createDetectionHandler(
  post: PostToPage,
): (request: DetectionWorkerRequest) => void {
  const running = new Map<number, AbortController>();
  const embeds = new Map<number, PendingEmbed>();
  let nextEmbedId = 1;

  /** An embedder whose vectors come from the page, for detection `detection`. */
  const pageEmbedder = (detection: number, info: EmbedderInfo): Embedder => ({
    modelId: info.modelId,
    dimensions: info.dimensions,
    embed: (texts, signal) =>
      new Promise<Float32Array[]>((resolve, reject) => {
        signal?.throwIfAborted();
        const id = nextEmbedId++;
        const abort = () => {
          embeds.delete(id);
          reject(signal!.reason as Error);
        };
        signal?.addEventListener('abort', abort, { once: true });
        const settle =
          <T>(then: (value: T) => void) =>
          (value: T) => {
            signal?.removeEventListener('abort', abort);
            embeds.delete(id);
            then(value);
          };
        embeds.set(id, {
          count: texts.length,
          dimensions: info.dimensions,
          resolve: settle(resolve),
          reject: settle(reject),
        });
        post({ type: 'embed', id, detection, texts: [...texts] });
      }),
  });

  function receiveVectors(id: number, flat: Float32Array): void {
    const pending = embeds.get(id);
    if (!pending) return; // Its detection was cancelled meanwhile.
    const { count, dimensions } = pending;
    if (flat.length !== count * dimensions) {
      pending.reject(
        new Error(`the page sent ${flat.length} floats for ${count} texts of ${dimensions}`),
      );
      return;
    }
    const vectors: Float32Array[] = [];
    for (let index = 0; index < count; index++)
      vectors.push(flat.subarray(index * dimensions, (index + 1) * dimensions));
    pending.resolve(vectors);
  }

  function detect(request: Extract<DetectionWorkerRequest, { type: 'detect' }>): void {
    const controller = new AbortController();
    running.set(request.id, controller);
    const embedder = request.embedder ? pageEmbedder(request.id, request.embedder) : null;
    detectFallingBack(request.memories, embedder, controller.signal)
      .then(
        (detection) => {
          const { packed, transfer } = packDetection(detection, request.memories);
          post({ type: 'done', id: request.id, detection: packed }, transfer);
        },
        (error: unknown) =>
          post({
            type: 'failed',
            id: request.id,
            message: errorText(error),
            cancelled: controller.signal.aborted,
          }),
      )
      .finally(() => running.delete(request.id));
  }

  return (request) => {
    switch (request.type) {
      case 'detect':
        return detect(request);
      case 'cancel':
        return running.get(request.id)?.abort();
      case 'vectors':
        return receiveVectors(request.id, request.vectors);
      case 'embed-failed':
        return embeds.get(request.id)?.reject(new Error(request.message));
    }
  };
}
