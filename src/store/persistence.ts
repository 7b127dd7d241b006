import { getDb } from './connection';
import type { GpuLock } from './gpuLock';
import { sharedGpuLock } from './gpuLock';
import type { RunService } from './runService';
import { getRunService } from './runServiceInstance';
import { refreshStorageUsage, requestPersistentStorage } from './storageQuota';
import { loadAllStores } from './storeLoader';
import type { TabChannel } from './tabChannel';
import { sharedTabChannel } from './tabChannel';
import { startTabSync } from './tabSync';

export interface Persistence {
  runService: RunService;
  channel: TabChannel;
  lock: GpuLock;
  stop: () => void;
}

let started: Promise<Persistence> | null = null;

/**
 * Starts the storage side of the app once per page: opens the database, loads every store, joins
 * the other tabs, and asks for persistent storage. The UI calls this at startup and then only reads
 * stores and calls services.
 */
export function initPersistence(): Promise<Persistence> {
  started ??= (async () => {
    const db = await getDb();
    await loadAllStores(db);
    const channel = sharedTabChannel();
    const runService = getRunService();
    const lock = sharedGpuLock();
    const stopSync = startTabSync({ db: getDb, channel, runService, lock });
    void requestPersistentStorage().catch(() => null);
    void refreshStorageUsage().catch(() => undefined);
    return {
      runService,
      channel,
      lock,
      stop: () => {
        stopSync();
        channel.close();
      },
    };
  })();
  return started;
}
