/**
 * `fetch` with a deadline on each request, remembering the first thing that went wrong (an HTTP
 * error or an unreachable host): transformers.js turns both into unrelated errors, and the user
 * should read what happened. The deadline covers reaching the host and its answer's headers, not
 * the whole transfer (a slow line may take a while for 23 MB).
 */
export interface DeadlineFetch {
  fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
  /** What went wrong first, in words; null while every request succeeded. */
  trouble(): string | null;
}

export function deadlineFetch(baseFetch: typeof fetch, timeoutMs: number): DeadlineFetch {
  let trouble: string | null = null;
  return {
    trouble: () => trouble,
    async fetch(input, init) {
      const deadline = new AbortController();
      // A plain timer, not AbortSignal.timeout: that one does not keep Node running, so a request
      // with nothing else pending would end the process instead.
      const timer = setTimeout(
        () =>
          deadline.abort(
            new DOMException(
              `no answer from ${hostOf(input)} within ${timeoutMs / 1000} s`,
              'TimeoutError',
            ),
          ),
        timeoutMs,
      );
      const signal = init?.signal
        ? AbortSignal.any([init.signal, deadline.signal])
        : deadline.signal;
      try {
        const response = await baseFetch(input, { ...init, signal });
        if (!response.ok) trouble ??= `HTTP ${response.status} from ${String(input)}`;
        return response;
      } catch (error) {
        if (!(error instanceof Error && error.name === 'TimeoutError')) {
          // A browser says only "Failed to fetch" whether offline, refused or blocked by policy.
          trouble ??= `${hostOf(input)} could not be reached (offline, or blocked by the network or the page's policy): ${messageOf(error)}`;
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return error.message;
  // Node's fetch says only "fetch failed"; the reason (ENOTFOUND huggingface.co …) is its cause.
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function hostOf(input: string | URL): string {
  try {
    return new URL(String(input)).host;
  } catch {
    return String(input);
  }
}
