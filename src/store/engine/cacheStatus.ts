import { inspectModelCache } from '../../engine/cache/modelCacheStatus';
import { useEngineStore } from './engineStore';

/** Reads how much of each listed model the browser's cache holds. */
export async function refreshCacheStatus(): Promise<void> {
  if (typeof caches === 'undefined') return;
  for (const entry of useEngineStore.getState().catalog) {
    try {
      useEngineStore
        .getState()
        .setCacheStatus(entry.id, await inspectModelCache(entry.record, caches));
    } catch {
      // A cache that cannot be read reports nothing; loading will tell.
    }
  }
}
