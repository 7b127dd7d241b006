/**
 * Building DimMem-4B in the browser from its published checkpoint: pinning the revision, reading
 * it with range requests, converting with the core converter (quantizing in workers), storing the
 * result under WebLLM's cache keys. Loaded lazily: nothing here is on the first page load.
 */
export { runModelBuild, startModelBuild } from './buildModel';
export type { BuildDeps, StartOptions } from './buildModel';
export type { BuildProgress } from './buildProgress';
export { builtModelFromState } from './builtModel';
export type { BuiltModel } from './builtModel';
export { buildModelUrl, deleteBuildOutput, outputRecord } from './buildOutput';
export { createQuantizePool, quantizeWorkerCount } from './quantizePool';
export { saveModelToFolder } from './saveToFolder';
export type { DirectoryLike, SaveProgress } from './saveToFolder';
