/** A server may ask for a long pause; a run waits at most this long between two tries. */
export const MAX_RETRY_AFTER_MS = 300_000;

/**
 * The wait a `Retry-After` header asks for, in ms (RFC 9110 §10.2.3: whole seconds, or an HTTP
 * date), capped at {@link MAX_RETRY_AFTER_MS}; a date already past is 0. Null when the header is
 * absent or neither form.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  let waitMs: number;
  if (/^\d+$/.test(text)) {
    waitMs = Number(text) * 1000;
  } else {
    // Dates are always written with a weekday or month name; a bare "-5" is not one.
    const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(date)) return null;
    waitMs = Math.max(0, date - now);
  }
  return Math.min(waitMs, MAX_RETRY_AFTER_MS);
}
