// The engine layer's public surface: the store and the CLI import from here.
export type * from './types';
export { EngineError, engineErrorAdvice, isAbortError } from './errors/engineError';
export type { EngineErrorCode } from './errors/engineError';
export {
  buildCatalog,
  preferredEntry,
  baseModelWarning,
  defaultContextWindowSize,
} from './catalog/modelCatalog';
export type { CatalogEntry, ModelSourceKind } from './catalog/modelCatalog';
export { chooseQuantization, quantizations } from './catalog/quantization';
export type { Quantization } from './catalog/quantization';
export { checkChatConfig } from './catalog/chatConfig';
export { isHttpUrl, modelUrlFor, sourceBaseUrl, dimmemFolderName } from './catalog/modelUrls';
export { assessGpu } from './gpu/assessGpu';
export type { GpuAssessment, GpuCheckItem } from './gpu/assessGpu';
export type { GpuFacts } from './gpu/gpuFacts';
export { probeGpu } from './gpu/probeGpu';
export { createReplayEngine, replayModelId } from './replay/replayEngine';
export type { Recordings, ReplayEngineOptions } from './replay/replayEngine';
export { loadSeedRecordings, seedRecordings } from './replay/seedRecordings';
export { formatBytes, formatSecondsLeft } from './progress/timeLeft';
