export { createEmbeddingsService } from './embeddingsService';
export type {
  EmbeddingsService,
  EmbeddingsServiceDeps,
  LoadableEmbedder,
  MemorySource,
} from './embeddingsService';
export { embeddingsStatusText, useEmbeddingsStore } from './embeddingsStore';
export type { EmbeddingsState, EmbeddingsStatus, LoadingProgress } from './embeddingsStore';
export { embeddingsDownloadKey, localDownloadChoice } from './downloadChoice';
export { embeddingTextHash } from './embeddingTextHash';
export { decodeVector, encodeVector, encodedBytes } from './vectorCodec';
export type { VectorEncoding } from './vectorCodec';
