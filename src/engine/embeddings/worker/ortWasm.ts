// ONNX Runtime's WebAssembly (the build that runs both the WebAssembly and the WebGPU backends),
// served by the app itself: transformers.js would fetch it from a CDN, which the page's policy
// blocks and a private app should not ask. Vite copies the file into the build under a hashed name.
import ortWasmPath from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

/** The runtime's WebAssembly on this app's own origin. */
export const ortWasmUrl = (base: string): string => new URL(ortWasmPath, base).href;
