import type { DimmemDb } from './db';
import { openDimmemDb } from './db';
import { StorageError, toStorageError } from './storageErrors';
import { useStorageStore } from '../storage/storageStore';

let connection: Promise<DimmemDb> | null = null;

/**
 * The app's one database connection, opened on first use. Blocked upgrades and connections closed
 * by a newer tab are reported to the storage store so the UI can say what to do.
 */
export function getDb(): Promise<DimmemDb> {
  if (!connection) {
    const storage = useStorageStore.getState();
    connection = openDimmemDb({
      onBlocked: () => {
        storage.setUpgradeBlocked(true);
        storage.reportProblem('blocked', new StorageError('blocked').message);
      },
      onVersionChange: () => {
        connection = null;
        storage.reportProblem('newer-version', new StorageError('newer-version').message);
      },
      onTerminated: () => {
        connection = null;
      },
    }).then(
      (db) => {
        useStorageStore.getState().setUpgradeBlocked(false);
        return db;
      },
      (error: unknown) => {
        connection = null;
        const storageError = toStorageError(error);
        useStorageStore.getState().reportProblem(storageError.problem, storageError.message);
        throw storageError;
      },
    );
  }
  return connection;
}
