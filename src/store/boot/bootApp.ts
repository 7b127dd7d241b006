import { getDb } from '../engine/connection';
import type { GpuLock } from '../tabs/gpuLock';
import { sharedGpuLock } from '../tabs/gpuLock';
import type { RunService } from '../runs/runService';
import { getRunService } from '../runs/runServiceInstance';
import { refreshStorageUsage, requestPersistentStorage } from '../db/storageQuota';
import { loadAllStores } from '../db/storeLoader';
import type { TabChannel } from '../tabs/tabChannel';
import { sharedTabChannel } from '../tabs/tabChannel';
import { startTabSync } from '../tabs/tabSync';

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
