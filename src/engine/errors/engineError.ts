import { AdvisedError } from './advisedError';

/** What went wrong, in terms of what the user can do about it. */
export type EngineErrorCode =
  | 'webgpu-unavailable'
  | 'shader-f16-missing'
  | 'gpu-feature-missing'
  | 'device-lost'
  | 'context-overflow'
  | 'model-library-unavailable'
  | 'model-library-invalid'
  | 'model-files-unavailable'
  | 'model-files-incomplete'
  | 'model-config-invalid'
  | 'storage-full'
  | 'integrity'
  | 'no-recording'
  | 'worker-crashed'
  | 'unknown';

/**
 * The only error the engine layer throws to the app. `code` says which advice applies;
 * `detail` keeps the original message for the "details" disclosure.
 */
export class EngineError extends AdvisedError<EngineErrorCode> {
  constructor(code: EngineErrorCode, detail: string, options?: ErrorOptions) {
    super('EngineError', engineErrorAdvice, code, detail, options);
  }
}

/** One sentence per failure: what happened and what to do. */
export const engineErrorAdvice: Record<EngineErrorCode, string> = {
  'webgpu-unavailable':
    'This browser offers no WebGPU. Use a recent Chrome or Edge (or Safari 26+) with hardware acceleration turned on.',
  'shader-f16-missing':
    'This GPU cannot run the q4f16_1 build (no shader-f16). Choose the q4f32_1 build instead.',
  'gpu-feature-missing':
    'This GPU lacks a WebGPU feature the model needs. Choose the q4f32_1 build.',
  'device-lost':
    'The GPU stopped (often out of memory). Close other GPU-heavy tabs, choose a smaller context window, or try the other quantization.',
  'context-overflow':
    'This window does not fit the context. Use smaller windows or a larger context window in the model settings.',
  'model-library-unavailable':
    'The model library (.wasm) could not be downloaded. Check the connection, or pick a folder that contains the library.',
  'model-library-invalid':
    'The model library (.wasm) is not a valid WebLLM library for this version. Repair the model to download it again.',
  'model-files-unavailable':
    'The model files could not be downloaded. Check the model URL and your connection, then retry: finished files are kept.',
  'model-files-incomplete':
    'The model files in this browser are incomplete. Retry the download, or repair the model.',
  'model-config-invalid': 'This is not a DimMem-4B (Qwen3-4B) MLC model folder.',
  'storage-full':
    'The browser has no room left for the model. Free disk space or delete other cached models.',
  integrity:
    'A model file does not match its expected checksum. Repair the model to download it again.',
  'no-recording':
    'No recorded answer exists for this window: the demo only replays answers recorded for the example conversation.',
  'worker-crashed': 'The model worker stopped unexpectedly. Reload the model.',
  unknown: 'The model failed.',
};

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function abortError(): DOMException {
  return new DOMException('The operation was cancelled.', 'AbortError');
}
