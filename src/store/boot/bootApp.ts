import { getDb } from '../db/connection';
import { refreshStorageUsage, requestPersistentStorage } from '../storage/storageQuota';
import { loadAllStores } from '../db/storeLoader';
import { setMeaningRoute } from '../ask/meaningRoute';
import { startRunFollower } from '../runs/runFollower';
import { appServices } from './appServices';

export interface BootedApp {
  /** Stops listening to the other tabs and closes the tab channel. */
  stop: () => void;
}

let booted: Promise<BootedApp> | null = null;

/**
 * Boots the storage side of the app once per page: opens the database, loads every store, applies
 * the changes other tabs publish, follows the runs they extract, and asks for persistent storage.
 * The UI calls this at startup and then only reads stores and calls services (`appServices`).
 */
export function bootApp(): Promise<BootedApp> {
  booted ??= (async () => {
    const db = await getDb();
    await loadAllStores(db);
    // The Ask box's meaning route: loads the model once there are memories (unless declined).
    const { publisher, runs, lock, channel, embeddings } = appServices();
    setMeaningRoute(embeddings);
    const follower = startRunFollower({ runService: runs, lock });
    const stopListening = publisher.listen((change) => follower.onChange(change));
    void requestPersistentStorage().catch(() => null);
    void refreshStorageUsage().catch(() => undefined);
    return {
      stop: () => {
        stopListening();
        follower.stop();
        channel.close();
      },
    };
  })();
  return booted;
}
