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
