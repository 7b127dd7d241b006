import { errorBodySchema } from './chatResponse';
import { EndpointError, messageWithCause } from './endpointError';
import type { IdleDeadline } from './idleDeadline';
import { retryAfterMs } from './retryAfter';
import { parseJson, preview } from './wireAnswer';

const errorBodyPreviewChars = 500;

/** An error status, with what the server said (its error body, or the start of the page). */
export async function httpError(response: Response, url: string): Promise<EndpointError> {
  let detail = '';
  try {
    const text = (await response.text()).slice(0, errorBodyPreviewChars);
    const body = errorBodySchema.safeParse(parseJson(text));
    detail = body.success ? body.data : preview(text);
  } catch {
    // The status alone still says what happened.
  }
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return new EndpointError(
    'http',
    `HTTP ${response.status}${reason} from ${url}${detail ? `: ${detail}` : ''}`,
    response.status,
    undefined,
    retryAfterMs(response.headers.get('retry-after')),
  );
}

/** Whatever a request threw, as an endpoint error: a timeout, or no answer at all. */
export function asEndpointError(
  error: unknown,
  deadline: IdleDeadline,
  url: string,
): EndpointError {
  if (error instanceof EndpointError) return error;
  if (deadline.timedOut) {
    return new EndpointError(
      'timeout',
      `${url} sent nothing for ${Math.round(deadline.idleMs / 1000)} s.`,
      null,
      error,
    );
  }
  // `fetch` rejects with a TypeError for refused connections and, in a browser, for CORS.
  return new EndpointError(
    'network',
    `Could not reach ${url} (${messageWithCause(error)}). Is the server running, and does it allow this origin (CORS)?`,
    null,
    error,
  );
}
