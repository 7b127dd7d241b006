/**
 * Waits `ms`, or less when the signal fires: then it resolves at once, without throwing, so the
 * caller decides what a stop means (check `signal.aborted`, or `signal.throwIfAborted()`).
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
