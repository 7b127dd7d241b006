/** Building DimMem-4B in the browser, as the views use it: the state and its services. */
export {
  buildKeptBytes,
  buildMemoryBytes,
  checkpointDownloadBytes,
  useModelBuildStore,
} from './modelBuildStore';
export type {
  BuildFailure,
  BuildProgress,
  BuildState,
  FolderSave,
  ModelBuildStoreState,
} from './modelBuildStore';
export {
  buildQuantization,
  cancelBuild,
  clearBuildFailure,
  initModelBuild,
  pauseBuild,
  resumeBuild,
  startBuild,
} from './modelBuildRun';
export { canSaveToFolder, saveBuildToFolder } from './buildFolderSave';
export { forgetDevCheckpointHost } from './modelBuildSettings';
