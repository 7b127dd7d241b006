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

  constructor(
    kind: EndpointErrorKind,
    message: string,
    status: number | null = null,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.kind = kind;
    this.status = status;
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
