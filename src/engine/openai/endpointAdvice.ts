import { EndpointError, ModelNotServedError, StreamCutError } from './endpointError';
import { errorText } from '../../core/errorText';

/** What went wrong talking to an endpoint, in terms of what the user can do about it. */
export type EndpointFailureCode =
  | 'endpoint-not-allowed'
  | 'endpoint-unreachable'
  | 'endpoint-refused'
  | 'endpoint-model-missing'
  | 'endpoint-not-found'
  | 'endpoint-rejected'
  | 'endpoint-server-error'
  | 'endpoint-timeout'
  | 'endpoint-stream-cut'
  | 'endpoint-protocol';

export interface EndpointFailure {
  code: EndpointFailureCode;
  /** One or two plain sentences: what happened and what to do. */
  advice: string;
  /** The technical message, for a "details" disclosure. */
  detail: string;
}

export interface EndpointContext {
  /** The normalized base URL, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  /** The origin this page is served from (what the server's CORS must allow). */
  appOrigin: string;
}

/** The advice for a page whose security policy does not list the endpoint yet. */
export function notAllowedFailure(context: EndpointContext): EndpointFailure {
  const origin = new URL(context.baseUrl).origin;
  return {
    code: 'endpoint-not-allowed',
    advice: `This page may not connect to ${origin} yet: its security policy only allows the addresses chosen when the page loaded. Reload the page, then connect.`,
    detail: `connect-src does not list ${origin}`,
  };
}

/** Turns an endpoint error into plain advice that names the server and says what to check. */
export function describeEndpointFailure(error: unknown, context: EndpointContext): EndpointFailure {
  const origin = new URL(context.baseUrl).origin;
  const detail = errorText(error);
  const failure = (code: EndpointFailureCode, advice: string): EndpointFailure => ({
    code,
    advice,
    detail,
  });
  if (error instanceof ModelNotServedError) {
    const served = error.served.length > 0 ? error.served.join(', ') : 'no models';
    return failure(
      'endpoint-model-missing',
      `${origin} does not serve a model named “${error.model}”. It serves: ${served}. Enter one of these as the served model name.`,
    );
  }
  if (error instanceof StreamCutError) {
    return failure(
      'endpoint-stream-cut',
      `${origin} closed the connection in the middle of an answer: the server may have crashed or restarted, or a proxy cut it. Check the server's log, then try again.`,
    );
  }
  if (!(error instanceof EndpointError)) {
    return failure('endpoint-protocol', `Talking to ${origin} failed unexpectedly.`);
  }
  switch (error.kind) {
    case 'network':
      return failure(
        'endpoint-unreachable',
        `Could not reach ${origin}. Check that the server is running at this address and that it accepts requests from this page (CORS must allow ${context.appOrigin}: vLLM and llama-server allow any origin unless told otherwise; Ollama needs OLLAMA_ORIGINS=${context.appOrigin}).`,
      );
    case 'timeout':
      return failure(
        'endpoint-timeout',
        `${origin} stopped sending anything: the server may be overloaded or stuck. Check its log, then try again.`,
      );
    case 'protocol':
      return failure(
        'endpoint-protocol',
        `${origin} did not answer like an OpenAI-compatible server. Check the base URL (for example http://127.0.0.1:8000/v1).`,
      );
    case 'http':
      break;
  }
  const status = error.status ?? 0;
  if (status === 401 || status === 403) {
    return failure(
      'endpoint-refused',
      `${origin} refused the request (HTTP ${status}). Check the API key.`,
    );
  }
  if (status === 404 || status === 405) {
    return failure(
      'endpoint-not-found',
      `${origin} has no chat-completions API under ${context.baseUrl} (HTTP ${status}). Check the base URL: it usually ends in /v1.`,
    );
  }
  if (status === 400 || status === 422) {
    return failure(
      'endpoint-rejected',
      `${origin} rejected the request (HTTP ${status}). If the server does not support the chosen guided-decoding mode, choose another one (or “none”); the details say what it disliked.`,
    );
  }
  return failure(
    'endpoint-server-error',
    `${origin} answered with an error (HTTP ${status}). Check the server's log, then try again.`,
  );
}
