import { describeEndpointFailure } from './endpointAdvice';
import type { EndpointContext, EndpointFailure } from './endpointAdvice';
import { EndpointError } from './endpointError';

/**
 * An endpoint error during a run, told in the same plain words as a failed connection (the
 * window's error shows them). It stays an `EndpointError` of the same kind, status and
 * `Retry-After`, with the server's own error as its cause.
 */
export class DescribedEndpointError extends EndpointError {
  override readonly name: string = 'DescribedEndpointError';
  readonly failure: EndpointFailure;

  constructor(error: EndpointError, context: EndpointContext) {
    const failure = describeEndpointFailure(error, context);
    super(
      error.kind,
      `${failure.advice} (${failure.detail})`,
      error.status,
      error,
      error.retryAfterMs,
    );
    this.failure = failure;
  }
}
