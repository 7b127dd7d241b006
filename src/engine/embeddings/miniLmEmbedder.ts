import type * as TransformersModule from '@huggingface/transformers';

import type { Embedder } from '../../core/search/embedder';

/** The meaning route's model: sentence-transformers' all-MiniLM-L6-v2 as transformers.js ships it. */
export const MINILM_MODEL = 'Xenova/all-MiniLM-L6-v2';
export const MINILM_DIMENSIONS = 384;
/** sentence-transformers truncates all-MiniLM-L6-v2's input at 256 tokens (its max_seq_length). */
export const MINILM_MAX_TOKENS = 256;
/** Cached vectors carry this id: model, weights and pooling, so a change invalidates them. */
export const MINILM_EMBEDDER_ID = `${MINILM_MODEL}@q8/mean/l2/${MINILM_MAX_TOKENS}`;

/** The model could not be loaded (offline, timed out, files missing); the other routes still work. */
export class EmbeddingModelUnavailableError extends Error {
  override name = 'EmbeddingModelUnavailableError';
}

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

interface Loaded {
  transformers: Transformers;
  tokenizer: Awaited<ReturnType<Transformers['AutoTokenizer']['from_pretrained']>>;
  model: Awaited<ReturnType<Transformers['AutoModel']['from_pretrained']>>;
}

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
  private loading: Promise<Loaded> | null = null;

  constructor(private readonly options: MiniLmEmbedderOptions = {}) {}

  /** Loads the model now (e.g. to show progress before the first question). */
  async load(): Promise<void> {
    await this.loaded();
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const { transformers, tokenizer, model } = await this.loaded();
    const batchSize = this.options.batchSize ?? 32;
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      signal?.throwIfAborted();
      const batch = texts.slice(start, start + batchSize).map((text) => text || ' ');
      const inputs = tokenizer(batch, {
        padding: true,
        truncation: true,
        max_length: MINILM_MAX_TOKENS,
      });
      const output = (await model(inputs)) as {
        last_hidden_state: InstanceType<Transformers['Tensor']>;
      };
      const pooled = transformers
        .mean_pooling(output.last_hidden_state, inputs.attention_mask)
        .normalize(2, -1);
      const data = pooled.data as Float32Array;
      for (let row = 0; row < batch.length; row++) {
        vectors.push(data.slice(row * this.dimensions, (row + 1) * this.dimensions));
      }
    }
    return vectors;
  }

  private loaded(): Promise<Loaded> {
    this.loading ??= this.load0().catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return this.loading;
  }

  private async load0(): Promise<Loaded> {
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
    const baseFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let refused: string | null = null;
    // The deadline covers reaching the host and its answer's headers, not the whole transfer (a
    // slow line may take a while for 23 MB). A plain timer, not AbortSignal.timeout: that one does
    // not keep Node running, so a request with nothing else pending would end the process instead.
    env.fetch = async (input: string | URL, init?: RequestInit) => {
      const deadline = new AbortController();
      const timer = setTimeout(
        () =>
          deadline.abort(
            new DOMException(
              `no answer from ${hostOf(input)} within ${timeoutMs / 1000} s`,
              'TimeoutError',
            ),
          ),
        timeoutMs,
      );
      const signal = init?.signal
        ? AbortSignal.any([init.signal, deadline.signal])
        : deadline.signal;
      try {
        const response = await baseFetch(input, { ...init, signal });
        // transformers.js turns a missing file into an unrelated TypeError; keep what happened.
        if (!response.ok) refused ??= `HTTP ${response.status} from ${String(input)}`;
        return response;
      } finally {
        clearTimeout(timer);
      }
    };
    env.cacheDir = this.options.cacheDir ?? envDefaults.cacheDir;
    env.localModelPath = this.options.localModelPath ?? envDefaults.localModelPath;
    env.allowLocalModels =
      this.options.localModelPath !== undefined || envDefaults.allowLocalModels;
    env.allowRemoteModels = !this.options.offline;
    const progress_callback = (info: {
      status: string;
      file?: string;
      loaded?: number;
      total?: number;
    }) => {
      if (info.status === 'progress' && info.file !== undefined) {
        this.options.onProgress?.({
          file: info.file,
          loaded: info.loaded ?? 0,
          total: info.total ?? 0,
        });
      }
    };
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
      const reason = refused ?? messageOf(error);
      throw new EmbeddingModelUnavailableError(`${MINILM_MODEL} could not be loaded: ${reason}`, {
        cause: error,
      });
    }
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return error.message;
  // Node's fetch says only "fetch failed"; the reason (ENOTFOUND huggingface.co …) is its cause.
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function hostOf(input: string | URL): string {
  try {
    return new URL(String(input)).host;
  } catch {
    return String(input);
  }
}
