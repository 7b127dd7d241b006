/**
 * Functions the import benchmark runs inside the real app's page (Playwright serializes them with
 * `toString`), so each must be self-contained: no imports, no module-level values.
 */

export interface LongTaskWindow {
  __benchLongTasks?: { start: number; duration: number }[];
}

/** Installed before any page script: records every long task (≥ 50 ms) of the main thread. */
export const longTaskProbe = () => {
  const target = window as unknown as LongTaskWindow;
  target.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      target.__benchLongTasks!.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
};

export interface BareWriteInput {
  /** The app's database, read for the records to write. */
  source: string;
  /** A database of the same stores and indexes, written with bare IndexedDB calls. */
  target: string;
  /** Per transaction, as the import writes them. */
  batchMessages: number;
  batchConversations: number;
}

export interface BareWriteOutput {
  conversations: number;
  messages: number;
  /** Milliseconds to write them all. */
  writeMs: number;
}

/**
 * The baseline: the records the import saved (read back from the app's database), written into a
 * fresh database with the same stores and indexes, in batched readwrite transactions of the same
 * size, with nothing else done: no parsing, hashing or duplicate checks.
 */
export const bareWriteProbe = async (input: BareWriteInput): Promise<BareWriteOutput> => {
  const request = <T>(req: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const open = (name: string, upgrade?: (db: IDBDatabase) => void) =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, upgrade ? 1 : undefined);
      if (upgrade) req.onupgradeneeded = () => upgrade(req.result);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const source = await open(input.source);
  const read = source.transaction(['conversations', 'messages']);
  const [conversations, messages] = await Promise.all([
    request(read.objectStore('conversations').getAll()),
    request(read.objectStore('messages').index('by-conversation').getAll()),
  ]);
  source.close();
  await request(indexedDB.deleteDatabase(input.target));
  const target = await open(input.target, (db) => {
    const c = db.createObjectStore('conversations', { keyPath: 'id' });
    c.createIndex('by-imported', 'importedAt');
    c.createIndex('by-hash', 'contentHash');
    const m = db.createObjectStore('messages', { keyPath: ['conversationId', 'id'] });
    m.createIndex('by-conversation', ['conversationId', 'position']);
    m.createIndex('by-time', 'timestamp');
  });
  const byConversation = new Map<string, unknown[]>();
  for (const message of messages as { conversationId: string }[]) {
    const list = byConversation.get(message.conversationId);
    if (list) list.push(message);
    else byConversation.set(message.conversationId, [message]);
  }
  const start = performance.now();
  let batch: { record: { id: string }; messages: unknown[] }[] = [];
  let batchMessages = 0;
  const flush = () => {
    const items = batch;
    batch = [];
    batchMessages = 0;
    const tx = target.transaction(['conversations', 'messages'], 'readwrite');
    const store = tx.objectStore('messages');
    const records = tx.objectStore('conversations');
    for (const item of items) {
      for (const message of item.messages) store.put(message);
      records.put(item.record);
    }
    return new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  for (const record of conversations as { id: string }[]) {
    const list = byConversation.get(record.id) ?? [];
    batch.push({ record, messages: list });
    batchMessages += list.length;
    if (batchMessages >= input.batchMessages || batch.length >= input.batchConversations) {
      await flush();
    }
  }
  if (batch.length > 0) await flush();
  const writeMs = performance.now() - start;
  target.close();
  await request(indexedDB.deleteDatabase(input.target));
  return { conversations: conversations.length, messages: messages.length, writeMs };
};
