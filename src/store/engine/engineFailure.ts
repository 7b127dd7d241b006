import { errorText } from '../../core/errorText';
import { EngineError } from '../../engine/errors/engineError';
import type { EngineErrorCode } from '../../engine/errors/engineError';
import type { EndpointFailureCode } from '../../engine/openai/endpointAdvice';

/** Why loading failed, as the Model view shows it: what to do, and what happened. */
export interface EngineFailure {
  code: EngineErrorCode | EndpointFailureCode;
  advice: string;
  detail: string;
}

/** Any thrown value as a failure; errors that are not the engine's are `unknown`. */
export function failureOf(error: unknown): EngineFailure {
  const engineError =
    error instanceof EngineError ? error : new EngineError('unknown', errorText(error));
  return { code: engineError.code, advice: engineError.advice, detail: engineError.detail };
}
