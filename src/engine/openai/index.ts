// The OpenAI-compatible endpoint adapter's public surface: the store and the CLI import from here.
export * from './chatRequest';
export * from './describedEndpointError';
export * from './endpointAdvice';
export {
  EndpointError,
  isRetryableEndpointError,
  ModelNotServedError,
  StreamCutError,
} from './endpointError';
export type { EndpointErrorKind } from './endpointError';
export { MAX_TIMER_MS } from './idleDeadline';
export * from './endpointSettings';
export * from './openAiEndpointEngine';
export * from './retryAfter';
