import { quantizeBf16Block } from '../../core/convert/quantize';
import { quantizeRequestSchema } from './quantizeMessages';
import type { QuantizeResponse } from './quantizeMessages';
import { errorText } from '../../core/errorText';

/**
 * What the quantize worker does with one message: the core's pure quantizer, nothing else. Kept
 * apart from the worker file so that Node tests can drive it through a fake worker.
 */
export function handleQuantizeMessage(data: unknown): {
  response: QuantizeResponse;
  transfer: Transferable[];
} {
  const parsed = quantizeRequestSchema.safeParse(data);
  if (!parsed.success) {
    const id =
      typeof (data as { id?: unknown })?.id === 'number' ? (data as { id: number }).id : -1;
    return { response: { id, ok: false, message: 'not a quantize request' }, transfer: [] };
  }
  const { id, ...block } = parsed.data;
  try {
    const { qWeight, qScale } = quantizeBf16Block(block);
    return {
      response: { id, ok: true, qWeight, qScale },
      transfer: [qWeight.buffer, qScale.buffer],
    };
  } catch (error) {
    const message = errorText(error);
    return { response: { id, ok: false, message }, transfer: [] };
  }
}
