export { answerSchemaName, buildChatRequest } from './chatRequest';
export type { ChatRequestOptions } from './chatRequest';
export {
  EndpointError,
  isRetryableEndpointError,
  ModelNotServedError,
  StreamCutError,
} from './endpointError';
export { MAX_TIMER_MS } from './idleDeadline';
export { MAX_RETRY_AFTER_MS, retryAfterMs } from './retryAfter';
export { describeEndpointFailure, notAllowedFailure } from './endpointAdvice';
export { DescribedEndpointError } from './describedEndpointError';
export type { EndpointContext, EndpointFailure, EndpointFailureCode } from './endpointAdvice';
export type { EndpointErrorKind } from './endpointError';
export {
  endpointOrigin,
  endpointSettingsSchema,
  guidedDecodingModes,
  normalizeBaseUrl,
} from './endpointSettings';
export type {
  EndpointSettings,
  EndpointSettingsInput,
  GuidedDecodingMode,
} from './endpointSettings';
export { createOpenAiEndpointEngine, OpenAiEndpointEngine } from './openAiEndpointEngine';
export type { OpenAiEndpointEngineOptions } from './openAiEndpointEngine';
