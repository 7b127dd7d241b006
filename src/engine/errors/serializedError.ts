import { z } from 'zod';

import type { EngineErrorCode } from './engineError';
import { EngineError } from './engineError';

/** How a classified error crosses the worker boundary (structured clone of plain data). */
export const serializedEngineErrorSchema = z.object({
  dimmemEngineError: z.literal(true),
  code: z.string(),
  detail: z.string(),
});

export type SerializedEngineError = z.infer<typeof serializedEngineErrorSchema>;

const knownCodes = new Set<string>([
  'webgpu-unavailable',
  'shader-f16-missing',
  'gpu-feature-missing',
  'device-lost',
  'context-overflow',
  'model-library-unavailable',
  'model-library-invalid',
  'model-files-unavailable',
  'model-files-incomplete',
  'model-config-invalid',
  'storage-full',
  'integrity',
  'no-recording',
  'worker-crashed',
  'unknown',
] satisfies EngineErrorCode[]);

function isCode(code: string): code is EngineErrorCode {
  return knownCodes.has(code);
}

/**
 * Turns what a worker request rejected with back into an {@link EngineError}: our handler sends
 * {@link SerializedEngineError}; anything else (a bare string from WebLLM's own paths) is unknown.
 */
export function engineErrorFromWorker(content: unknown): EngineError {
  if (content instanceof EngineError) return content;
  const parsed = serializedEngineErrorSchema.safeParse(content);
  if (parsed.success) {
    const { code, detail } = parsed.data;
    return new EngineError(isCode(code) ? code : 'unknown', detail);
  }
  if (content instanceof Error)
    return new EngineError('unknown', content.message, { cause: content });
  return new EngineError('unknown', typeof content === 'string' ? content : String(content));
}
