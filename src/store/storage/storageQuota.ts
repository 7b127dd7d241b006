import { useStorageStore } from './storageStore';

/** The part of `navigator.storage` used here; injectable for tests. */
export interface StorageManagerLike {
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
}

function defaultStorageManager(): StorageManagerLike | null {
  return typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : null;
}

/** Reads how much this origin stores and may store, into the storage store. */
export async function refreshStorageUsage(
  manager: StorageManagerLike | null = defaultStorageManager(),
): Promise<void> {
  if (!manager?.estimate) return;
  const { usage, quota } = await manager.estimate();
  useStorageStore
    .getState()
    .setUsage(
      usage === undefined || quota === undefined ? null : { usedBytes: usage, quotaBytes: quota },
    );
}

/**
 * Asks the browser not to evict this origin's data under storage pressure. Browsers may grant it
 * silently (Chromium decides by engagement) or ask the user (Firefox).
 */
export async function requestPersistentStorage(
  manager: StorageManagerLike | null = defaultStorageManager(),
): Promise<boolean | null> {
  if (!manager?.persist) return null;
  const already = manager.persisted ? await manager.persisted() : false;
  const persisted = already || (await manager.persist());
  useStorageStore.getState().setPersisted(persisted);
  return persisted;
}
