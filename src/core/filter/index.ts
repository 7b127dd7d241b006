export * from './types';
export { MemoryIndex } from './memoryIndex';
export type { MemoryIndexOptions } from './memoryIndex';
export { buildTimeline, bucketDays, dayRange, granularityFor } from './timeline';
export {
  filterParamNames,
  filtersFromParams,
  hasActiveFilters,
  sortFromParams,
  writeFilterParams,
} from './urlParams';
export { syntheticMemories } from './syntheticMemories';
export type { SyntheticMemory } from './syntheticMemories';
