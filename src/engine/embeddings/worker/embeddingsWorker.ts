/// <reference lib="webworker" />
import * as transformers from '@huggingface/transformers';

import { errorText } from '../../../core/errorText';
import { deadlineFetch, messageOf } from '../deadlineFetch';
import { EmbeddingModelUnavailableError, MINILM_DIMENSIONS, MINILM_MODEL } from '../miniLmModel';
import { embedWithMiniLm, fileProgressCallback, type LoadedMiniLm } from '../miniLmPooling';
import { ortWasmUrl } from './ortWasm';
import type { FromEmbeddingsWorker, ToEmbeddingsWorker } from './workerProtocol';

/**
 * The browser's all-MiniLM-L6-v2 (q8), started by workerEmbedder.ts only when embeddings are
 * wanted, so neither transformers.js nor ONNX Runtime is in the page's first load. Model files come
 * from the Hugging Face Hub and stay in the browser's cache (transformers.js's Cache Storage); the
 * runtime's WebAssembly comes from the app. WebGPU where an adapter is found, else WebAssembly on
 * one thread (the page is not cross-origin isolated, so threads are not available).
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromEmbeddingsWorker, transfer: Transferable[] = []) =>
  scope.postMessage(message, transfer);

let loaded: LoadedMiniLm | null = null;

async function webGpuAvailable(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/** Starts ONNX Runtime with a 1×1 product: a runtime that cannot start is named as the cause. */
async function startRuntime(wasmUrl: string): Promise<void> {
  const one = new transformers.Tensor('float32', new Float32Array([1]), [1, 1]);
  const product = await transformers.matmul(one, one);
  if ((product.data as Float32Array)[0] !== 1) throw new Error('ONNX Runtime computed 1 × 1 ≠ 1');
  post({ type: 'runtime', wasmUrl });
}

async function load(fetchTimeoutMs: number): Promise<'webgpu' | 'wasm'> {
  const { env } = transformers;
  const guarded = deadlineFetch(globalThis.fetch.bind(globalThis), fetchTimeoutMs);
  const wasmUrl = ortWasmUrl(scope.location.href);
  env.fetch = guarded.fetch;
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useBrowserCache = true;
  // transformers.js's own copy of the runtime would be imported from a blob: URL, which the
  // page's script policy forbids; the browser's HTTP cache keeps the app's file instead.
  env.useWasmCache = false;
  const wasm = env.backends.onnx.wasm!;
  wasm.wasmPaths = { wasm: wasmUrl };
  wasm.numThreads = 1;
  const progress_callback = fileProgressCallback((progress) =>
    post({ type: 'progress', ...progress }),
  );
  const device: 'webgpu' | 'wasm' = (await webGpuAvailable()) ? 'webgpu' : 'wasm';
  try {
    const tokenizer = await transformers.AutoTokenizer.from_pretrained(MINILM_MODEL, {
      progress_callback,
    });
    // The host answers: start the runtime (27 MB of WebAssembly) while the model downloads. Not
    // before, so an offline page fetches and compiles nothing it cannot use.
    const runtime = startRuntime(wasmUrl);
    runtime.catch(() => undefined);
    const modelOn = (on: 'webgpu' | 'wasm') =>
      transformers.AutoModel.from_pretrained(MINILM_MODEL, {
        dtype: 'q8',
        device: on,
        progress_callback,
      });
    let used: 'webgpu' | 'wasm' = device;
    let model: LoadedMiniLm['model'];
    try {
      model = await modelOn(device);
    } catch (error) {
      // A WebGPU adapter that cannot run the model (the files are in the cache by now): WebAssembly.
      if (device !== 'webgpu' || guarded.trouble() !== null) throw error;
      used = 'wasm';
      model = await modelOn(used);
    }
    await runtime;
    loaded = { transformers, tokenizer, model };
    return used;
  } catch (error) {
    const reason = guarded.trouble() ?? messageOf(error);
    throw new EmbeddingModelUnavailableError(`${MINILM_MODEL} could not be loaded: ${reason}`, {
      cause: error,
    });
  }
}

scope.onmessage = (event: MessageEvent<ToEmbeddingsWorker>) => {
  const message = event.data;
  if (message.type === 'load') {
    load(message.fetchTimeoutMs).then(
      (device) => post({ type: 'loaded', device }),
      (error: unknown) => post({ type: 'load-failed', message: errorText(error) }),
    );
    return;
  }
  const { id, texts } = message;
  if (!loaded) {
    post({ type: 'embed-failed', id, message: 'the model is not loaded' });
    return;
  }
  embedWithMiniLm(loaded, texts, MINILM_DIMENSIONS, 16).then(
    (vectors) =>
      post(
        { type: 'embedded', id, vectors },
        vectors.map((vector) => vector.buffer),
      ),
    (error: unknown) => post({ type: 'embed-failed', id, message: errorText(error) }),
  );
};
