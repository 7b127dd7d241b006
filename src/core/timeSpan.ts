import type { Message } from './conversation';
import type { LocalTime } from './time/localTime';

/**
 * The earliest and latest timestamp of some messages, or null when none has one. A loop, not
 * `Math.min(...times)`: spreading 130,000 arguments overflows the call stack.
 */
export function timeSpan(
  messages: readonly Message[],
): { first: LocalTime; last: LocalTime } | null {
  let first = Infinity;
  let last = -Infinity;
  for (const { timestamp } of messages) {
    if (timestamp === null) continue;
    if (timestamp < first) first = timestamp;
    if (timestamp > last) last = timestamp;
  }
  return first === Infinity ? null : { first, last };
}
