import type { IDBPTransaction, StoreKey, StoreValue } from 'idb';

import type { DimmemDb, DimmemSchema, StoreName } from './db';
import { toStorageError } from './storageErrors';
import { useStorageStore } from '../storage/storageStore';

export type WriteTransaction<Stores extends StoreName[]> = IDBPTransaction<
  DimmemSchema,
  Stores,
  'readwrite'
>;

/**
 * Runs `work` in one readwrite transaction: everything it writes commits together or not at all.
 * `work` may only await requests of this transaction (awaiting anything else lets the browser
 * commit early). A throw, even a synchronous one such as a DataError from `put`, aborts the whole
 * transaction; storage errors (DOMExceptions from IndexedDB) reach the storage store (quota flag) and are rethrown as
 * StorageError with a message for the user.
 */
export async function withWriteTransaction<Stores extends StoreName[], Result>(
  db: DimmemDb,
  stores: Stores,
  work: (transaction: WriteTransaction<Stores>) => Promise<Result> | Result,
): Promise<Result> {
  const transaction = db.transaction(stores, 'readwrite');
  const done = transaction.done;
  try {
    const result = await work(transaction);
    await done;
    useStorageStore.getState().setWriteSucceeded();
    return result;
  } catch (error) {
    try {
      transaction.abort();
    } catch {
      // Already aborted by the failed request, or already committed.
    }
    // The abort rejects `done` too; the first error is the one that explains it.
    await done.catch(() => undefined);
    // Our own errors (validation, a missing record) are not storage trouble: pass them on as they are.
    if (!isDomError(error)) throw error;
    const storageError = toStorageError(error);
    useStorageStore.getState().reportProblem(storageError.problem, storageError.message);
    throw storageError;
  }
}

function isDomError(error: unknown): boolean {
  return typeof DOMException !== 'undefined' && error instanceof DOMException;
}

/**
 * Collects requests issued together so they can be awaited once. Each is observed as it is added:
 * if a later `put` throws synchronously (and the transaction is aborted), the earlier requests'
 * rejections do not surface as unhandled.
 */
export function requestBatch() {
  const issued: Promise<unknown>[] = [];
  return {
    add(request: Promise<unknown>): void {
      request.catch(() => undefined);
      issued.push(request);
    },
    addAll<T>(items: Iterable<T>, issue: (item: T) => Promise<unknown>): void {
      for (const item of items) this.add(issue(item));
    },
    async done(): Promise<void> {
      await Promise.all(issued);
    },
  };
}

/** Issues one request per item on one store in one transaction: all or nothing. */
function eachInStore<Name extends StoreName, Item>(
  db: DimmemDb,
  storeName: Name,
  items: readonly Item[],
  issue: (
    store: ReturnType<WriteTransaction<[Name]>['objectStore']>,
    item: Item,
  ) => Promise<unknown>,
): Promise<void> {
  return withWriteTransaction(db, [storeName], async (transaction) => {
    const store = transaction.objectStore(storeName);
    const batch = requestBatch();
    batch.addAll(items, (item) => issue(store, item));
    await batch.done();
  });
}

/** Writes `records` (new or replacing the same keys) to one store in one transaction: all or nothing. */
export function putAllInStore<Name extends StoreName>(
  db: DimmemDb,
  storeName: Name,
  records: readonly StoreValue<DimmemSchema, Name>[],
): Promise<void> {
  return eachInStore(db, storeName, records, (store, record) => store.put(record));
}

/** Deletes the records under `keys` from one store in one transaction: all or nothing. */
export function deleteAllInStore<Name extends StoreName>(
  db: DimmemDb,
  storeName: Name,
  keys: readonly StoreKey<DimmemSchema, Name>[],
): Promise<void> {
  return eachInStore(db, storeName, keys, (store, key) => store.delete(key));
}
