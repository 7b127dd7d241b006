import type { Embedder } from '../../core/search/embedder';

/** About 30 MB of all-MiniLM-L6-v2 vectors (384 floats each). */
const DEFAULT_LIMIT = 20_000;

/**
 * The vectors of the contents detection embedded, for this page only (never in IndexedDB: the
 * `memoryVectors` store holds the search text's vectors, content + reason + purpose). Keyed by the
 * model id and the text itself, so a detection after every run embeds only contents it has not
 * seen, two memories with one content share a vector, and an edited content is embedded again.
 */
export class ContentVectorCache {
  private modelId: string | null = null;
  /** In order of last use, oldest first. */
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  get size(): number {
    return this.vectors.size;
  }

  /** `embedder`, answering from the cache the texts it embedded before with the same model. */
  through(embedder: Embedder): Embedder {
    return {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      embed: (texts, signal) => this.embed(embedder, texts, signal),
    };
  }

  /** Forgets the texts no current memory has (deleted, edited or merged away). */
  keepOnly(texts: ReadonlySet<string>): void {
    for (const text of this.vectors.keys()) if (!texts.has(text)) this.vectors.delete(text);
  }

  private async embed(
    embedder: Embedder,
    texts: readonly string[],
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    if (embedder.modelId !== this.modelId) {
      this.vectors.clear();
      this.modelId = embedder.modelId;
    }
    // Taken now: the cache may change while the embedder works.
    const known = new Map<string, Float32Array>();
    const missing = new Set<string>();
    for (const text of texts) {
      const cached = this.vectors.get(text);
      if (cached) known.set(text, cached);
      else missing.add(text);
    }
    if (missing.size > 0) {
      const asked = [...missing];
      const embedded = await embedder.embed(asked, signal);
      if (embedded.length !== asked.length) {
        throw new Error(
          `the embedder returned ${embedded.length} vectors for ${asked.length} texts`,
        );
      }
      asked.forEach((text, index) => known.set(text, embedded[index]!));
    }
    if (embedder.modelId === this.modelId) {
      // Re-inserted, so the texts used last are evicted last.
      for (const [text, vector] of known) {
        this.vectors.delete(text);
        this.vectors.set(text, vector);
      }
      this.evict();
    }
    return texts.map((text) => known.get(text)!);
  }

  private evict(): void {
    for (const text of this.vectors.keys()) {
      if (this.vectors.size <= this.limit) return;
      this.vectors.delete(text);
    }
  }
}
