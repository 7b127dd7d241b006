import type * as TransformersModule from '@huggingface/transformers';

import type { Embedder } from '../../core/search/embedder';
import { deadlineFetch, messageOf } from './deadlineFetch';
import {
  EmbeddingModelUnavailableError,
  MINILM_DIMENSIONS,
  MINILM_EMBEDDER_ID,
  MINILM_MODEL,
} from './miniLmModel';
import { embedWithMiniLm, fileProgressCallback, type LoadedMiniLm } from './miniLmPooling';

export interface MiniLmEmbedderOptions {
  /** How long one download request may take before loading gives up (ms). Default 15 s. */
  fetchTimeoutMs?: number;
  /** Where downloaded model files are kept (Node); default transformers.js's own cache. */
  cacheDir?: string;
  /** A folder holding `Xenova/all-MiniLM-L6-v2/…` to load from without any network. */
  localModelPath?: string;
  /** Never download: only a local folder or the cache. */
  offline?: boolean;
  /** Injected in tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Download progress, as transformers.js reports it (file, loaded, total). */
  onProgress?: (progress: { file: string; loaded: number; total: number }) => void;
  /** Texts per model call. */
  batchSize?: number;
}

type Transformers = typeof TransformersModule;

/** transformers.js's own settings, as they were before any embedder changed them. */
let envDefaults: {
  cacheDir: string | null;
  localModelPath: string;
  allowLocalModels: boolean;
} | null = null;

/**
 * all-MiniLM-L6-v2 (q8, ≈ 23 MB) through transformers.js: mean pooling over the attention mask,
 * L2 normalisation and 256-token truncation, as sentence-transformers computes it. The library and
 * the model load on the first `embed`, not before; a failed load is reported once per call and
 * retried on the next. Every download request has a deadline, so an unreachable host fails in
 * seconds instead of hanging.
 */
export class MiniLmEmbedder implements Embedder {
  readonly modelId = MINILM_EMBEDDER_ID;
  readonly dimensions = MINILM_DIMENSIONS;
  private loading: Promise<LoadedMiniLm> | null = null;

  constructor(private readonly options: MiniLmEmbedderOptions = {}) {}

  /** Loads the model now (e.g. to show progress before the first question). */
  async load(): Promise<void> {
    await this.loaded();
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const loaded = await this.loaded();
    return embedWithMiniLm(loaded, texts, this.dimensions, this.options.batchSize ?? 32, signal);
  }

  private loaded(): Promise<LoadedMiniLm> {
    this.loading ??= this.load0().catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return this.loading;
  }

  private async load0(): Promise<LoadedMiniLm> {
    let transformers: Transformers;
    try {
      transformers = await import('@huggingface/transformers');
    } catch (error) {
      throw new EmbeddingModelUnavailableError(
        `transformers.js could not be loaded (${messageOf(error)})`,
        { cause: error },
      );
    }
    const { env } = transformers;
    // transformers.js keeps its settings in one module-wide object: each load sets all of them, so
    // one embedder's options never leak into another's.
    envDefaults ??= {
      cacheDir: env.cacheDir,
      localModelPath: env.localModelPath,
      allowLocalModels: env.allowLocalModels,
    };
    const timeoutMs = this.options.fetchTimeoutMs ?? 15_000;
    const guarded = deadlineFetch(
      this.options.fetch ?? globalThis.fetch.bind(globalThis),
      timeoutMs,
    );
    env.fetch = guarded.fetch;
    env.cacheDir = this.options.cacheDir ?? envDefaults.cacheDir;
    env.localModelPath = this.options.localModelPath ?? envDefaults.localModelPath;
    env.allowLocalModels =
      this.options.localModelPath !== undefined || envDefaults.allowLocalModels;
    env.allowRemoteModels = !this.options.offline;
    const progress_callback = fileProgressCallback(this.options.onProgress);
    try {
      const tokenizer = await transformers.AutoTokenizer.from_pretrained(MINILM_MODEL, {
        progress_callback,
      });
      const model = await transformers.AutoModel.from_pretrained(MINILM_MODEL, {
        dtype: 'q8',
        progress_callback,
      });
      return { transformers, tokenizer, model };
    } catch (error) {
      const reason = guarded.trouble() ?? messageOf(error);
      throw new EmbeddingModelUnavailableError(`${MINILM_MODEL} could not be loaded: ${reason}`, {
        cause: error,
      });
    }
  }
}
