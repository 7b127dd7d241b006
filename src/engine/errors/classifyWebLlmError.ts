import { IntegrityError } from '@mlc-ai/web-llm';

import type { EngineErrorCode } from './engineError';
import { EngineError } from './engineError';
import type { SerializedEngineError } from './serializedError';

/**
 * WebLLM 0.2.86 exports only `IntegrityError` of its error classes (see its `index.d.ts`), so the
 * others cannot be tested with `instanceof`. Each of them sets `this.name` to its class name in its
 * constructor (a string literal that survives minification); that is the class identity used here.
 * Messages are never inspected. `tests/unit/engineWorker.test.ts` ("WebLLM error classes") builds
 * each class from WebLLM's own bundle to keep this table honest.
 */
const webLlmErrorClassCodes: Record<string, EngineErrorCode> = {
  WebGPUNotAvailableError: 'webgpu-unavailable',
  WebGPUNotFoundError: 'webgpu-unavailable',
  ShaderF16SupportError: 'shader-f16-missing',
  FeatureSupportError: 'gpu-feature-missing',
  DeviceLostError: 'device-lost',
  ContextWindowSizeExceededError: 'context-overflow',
  // `MissingModelWasmError` names itself "MissingModelError".
  MissingModelError: 'model-library-unavailable',
  UnsupportedTokenizerFilesError: 'model-config-invalid',
};

function codeOf(error: unknown): EngineErrorCode {
  if (error instanceof EngineError) return error.code;
  if (error instanceof IntegrityError) return 'integrity';
  // A model library that is not valid WebAssembly (an HTML error page, a truncated file).
  if (error instanceof WebAssembly.CompileError || error instanceof WebAssembly.LinkError) {
    return 'model-library-invalid';
  }
  if (error instanceof DOMException && error.name === 'QuotaExceededError') return 'storage-full';
  if (error instanceof Error) return webLlmErrorClassCodes[error.name] ?? 'unknown';
  return 'unknown';
}

/** Runs inside the worker, where the thrown object still has its class. */
export function classifyWebLlmError(error: unknown): SerializedEngineError {
  const detail =
    error instanceof EngineError
      ? error.detail
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
  return { dimmemEngineError: true, code: codeOf(error), detail };
}
