import { z } from 'zod';

import { mlcQuantizations } from '../../core/convert/types';
import type { MlcQuantization } from '../../core/convert/types';

/** Main thread → quantize worker: one block of bf16 rows (its buffer is transferred). */
export const quantizeRequestSchema = z.object({
  id: z.number().int(),
  quantization: z.enum(mlcQuantizations as [MlcQuantization, ...MlcQuantization[]]),
  bf16: z.custom<Uint16Array>((value) => value instanceof Uint16Array),
  rows: z.number().int().positive(),
  cols: z.number().int().positive(),
});
export type QuantizeRequest = z.infer<typeof quantizeRequestSchema>;

/** Quantize worker → main thread: the packed codes and scales, or what went wrong. */
export const quantizeResponseSchema = z.union([
  z.object({
    id: z.number().int(),
    ok: z.literal(true),
    qWeight: z.custom<Uint32Array>((value) => value instanceof Uint32Array),
    qScale: z.custom<Uint16Array>((value) => value instanceof Uint16Array),
  }),
  z.object({ id: z.number().int(), ok: z.literal(false), message: z.string() }),
]);
export type QuantizeResponse = z.infer<typeof quantizeResponseSchema>;
