export { MiniLmEmbedder } from './miniLmEmbedder';
export type { MiniLmEmbedderOptions } from './miniLmEmbedder';
export {
  EmbeddingModelUnavailableError,
  MINILM_DIMENSIONS,
  MINILM_EMBEDDER_ID,
  MINILM_MAX_TOKENS,
  MINILM_MODEL,
} from './miniLmModel';
