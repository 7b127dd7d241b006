/**
 * Why a request to the endpoint failed, in terms a caller can act on:
 * - `http`: the server answered with an error status (`status` set);
 * - `timeout`: nothing arrived for the idle timeout;
 * - `network`: no answer at all (server down, DNS, refused, or — in a browser — CORS);
 * - `protocol`: the server answered 200 with something that is not a chat completion.
 */
export type EndpointErrorKind = 'http' | 'timeout' | 'network' | 'protocol';

export class EndpointError extends Error {
  override readonly name: string = 'EndpointError';
  readonly kind: EndpointErrorKind;
  readonly status: number | null;
  /** How long the server asked to wait before trying again (its `Retry-After`), if it said. */
  readonly retryAfterMs: number | null;

  constructor(
    kind: EndpointErrorKind,
    message: string,
    status: number | null = null,
    cause?: unknown,
    retryAfterMs: number | null = null,
  ) {
    super(message, { cause });
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }

  /**
   * Worth trying again: timeouts, lost connections, rate limits and server-side failures. A 4xx
   * (bad request, unknown model, wrong key) will fail the same way every time.
   */
  get retryable(): boolean {
    if (this.kind === 'timeout' || this.kind === 'network') return true;
    if (this.kind === 'http' && this.status !== null) {
      return this.status === 408 || this.status === 429 || this.status >= 500;
    }
    return false;
  }
}

/**
 * The server answered, then the connection ended before the answer did (the server crashed or
 * restarted, a proxy timed out): a lost connection, worth retrying, but not one that never
 * reached the server.
 */
export class StreamCutError extends EndpointError {
  override readonly name: string = 'StreamCutError';
  /** Answer characters received before the cut. */
  readonly received: number;

  constructor(url: string, received: number, cause?: unknown) {
    const why = cause instanceof Error ? ` (${messageWithCause(cause)})` : '';
    super(
      'network',
      `${url} cut the answer off after ${received} characters${why}: the connection closed before the answer ended.`,
      null,
      cause,
    );
    this.received = received;
  }
}

/**
 * An error's message with the reason its cause gives: Node's fetch says only "fetch failed" or
 * "terminated", the socket's reason (ECONNREFUSED, …) is in its cause.
 */
export function messageWithCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/** The server answers, but does not serve the model asked for (its `/models` lists others). */
export class ModelNotServedError extends EndpointError {
  override readonly name: string = 'ModelNotServedError';
  readonly model: string;
  readonly served: readonly string[];

  constructor(baseUrl: string, model: string, served: readonly string[]) {
    super(
      'http',
      `${baseUrl} does not serve model "${model}"; it serves: ${served.join(', ') || '(none)'}.`,
      404,
    );
    this.model = model;
    this.served = served;
  }
}

export const isRetryableEndpointError = (error: unknown): boolean =>
  error instanceof EndpointError && error.retryable;
