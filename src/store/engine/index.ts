/**
 * The engine as the views use it: the state, the services that change it, and what views need
 * from `src/engine` (types, progress formatting, endpoint settings), so that `src/ui` imports
 * nothing from there (ESLint keeps it so).
 */
export { useEngineStore } from './engineStore';
export type {
  EndpointKeyState,
  EngineFailure,
  EngineSources,
  EngineStoreState,
  LoadState,
} from './engineStore';
export { policyAllows, reloadPage } from './connectPolicy';
export type { ConnectPolicyState } from './connectPolicy';
export { syncConnectPolicy } from './connectPolicySync';
export {
  initModelCatalog,
  selectModel,
  setContextWindowSize,
  setUserModelUrl,
} from './modelChoice';
export { runGpuCheck } from './gpuCheck';
export { cancelLoad, getActiveEngine, loadSelectedModel, unloadModel } from './modelSession';
export { refreshCacheStatus } from './cacheStatus';
export { deleteCachedModel, repairModel } from './cacheRepair';
export { importModelFolder } from './folderInstall';
export { replayAvailableByDefault, startReplayDemo } from './replayDemo';
export {
  chooseRunsOn,
  connectEndpoint,
  forgetEndpoint,
  forgetEndpointKey,
  saveEndpoint,
} from './endpointConnection';
export type { EndpointInput } from './endpointConnection';
export type { RunsOn, SavedEndpoint } from './endpointStorage';

// From the engine, for the views.
export { formatBytes, formatSecondsLeft, secondsLeftAt } from '../../engine/progress/timeLeft';
export { guidedDecodingModes } from '../../engine/openai/endpointSettings';
export type { GuidedDecodingMode } from '../../engine/openai/endpointSettings';
export type { EngineKind, LoadPhase, LoadProgress } from '../../engine/types';
export type { CatalogEntry } from '../../engine/catalog/modelCatalog';
export type { Quantization } from '../../engine/catalog/quantization';
export type { GpuAssessment } from '../../engine/gpu/assessGpu';
export type { ModelCacheStatus } from '../../engine/cache/modelCacheStatus';
