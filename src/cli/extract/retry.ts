export interface RetryPolicy {
  /** Tries after the first; 0 means one attempt only. */
  retries: number;
  /** Delay before the first retry; each further retry waits twice as long. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryHooks {
  isRetryable(error: unknown): boolean;
  /** A wait the failure itself asks for (a server's `Retry-After`), in ms, or null. */
  requestedDelay?(error: unknown): number | null;
  /** Told before each wait, e.g. to print "retrying in 4 s". */
  onRetry?(error: unknown, retry: number, delayMs: number): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  signal?: AbortSignal;
}

/** Exponential backoff: base · 2^(retry − 1), capped. Deterministic, so runs can be reasoned about. */
export const backoffDelay = (policy: RetryPolicy, retry: number): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));

/** Runs `attempt` until it succeeds, fails in a way not worth retrying, or retries run out. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= policy.retries || !hooks.isRetryable(error) || hooks.signal?.aborted)
        throw error;
      // A server that says how long to wait is believed when it asks for longer than the backoff.
      const delayMs = Math.max(backoffDelay(policy, retry + 1), hooks.requestedDelay?.(error) ?? 0);
      hooks.onRetry?.(error, retry + 1, delayMs);
      await hooks.sleep(delayMs, hooks.signal);
    }
  }
}
