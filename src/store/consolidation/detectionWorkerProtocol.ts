import type { ConsolidationMemory } from '../../core/consolidate';
import type { PackedDetection } from './packedDetection';

/** The page's embedder as the worker needs to know it: vectors come from the page on request. */
export interface EmbedderInfo {
  modelId: string;
  dimensions: number;
}

/** What the page sends the detection worker. */
export type DetectionWorkerRequest =
  /** Detects pairs among `memories`; with `embedder`, similarity by the page's vectors. */
  | {
      type: 'detect';
      id: number;
      memories: readonly ConsolidationMemory[];
      embedder: EmbedderInfo | null;
    }
  /** Stops detection `id`: a newer one replaced it, or its page stopped waiting. */
  | { type: 'cancel'; id: number }
  /**
   * The vectors of embed request `id`: one flat Float32Array, `dimensions` floats per text in the
   * request's order (transferred, so the page's cached vectors are copied into it first).
   */
  | { type: 'vectors'; id: number; vectors: Float32Array }
  /** The page's embedder failed on embed request `id`: detection goes on by words. */
  | { type: 'embed-failed'; id: number; message: string };

/** What the detection worker sends the page. */
export type DetectionWorkerResponse =
  /** Asks the page for the vectors of `texts`, for detection `detection`. */
  | { type: 'embed'; id: number; detection: number; texts: string[] }
  /** The detection, its pairs packed into transferred typed arrays. */
  | { type: 'done'; id: number; detection: PackedDetection }
  | { type: 'failed'; id: number; message: string; cancelled: boolean };
