/** Messages between the page and the embeddings worker (embeddingsWorker.ts). */
export type ToEmbeddingsWorker =
  { type: 'load'; fetchTimeoutMs: number } | { type: 'embed'; id: number; texts: string[] };

export type FromEmbeddingsWorker =
  | { type: 'progress'; file: string; loaded: number; total: number }
  /** ONNX Runtime started (its WebAssembly fetched from `wasmUrl`), before the model is ready. */
  | { type: 'runtime'; wasmUrl: string }
  | { type: 'loaded'; device: 'webgpu' | 'wasm' }
  | { type: 'load-failed'; message: string }
  | { type: 'embedded'; id: number; vectors: Float32Array[] }
  | { type: 'embed-failed'; id: number; message: string };
