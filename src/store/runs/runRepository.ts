import type { MemoryRemovalOptions, RemovedMemories } from '../consolidation/versionLinks';
import { relinkAfterRemoval, removeMemoriesByIndex } from '../consolidation/versionLinks';
import type { DimmemDb } from '../db/db';
import type { MemoryRecord, RunRecord, RunStatus, WindowRecord } from '../db/records';
import { requestBatch, withWriteTransaction } from '../db/transactions';

const windowsOf = (runId: string) => IDBKeyRange.bound([runId, 0], [runId, Infinity]);

/** A committed window's run (totals updated) and the records it changed to keep history. */
export interface CommittedWindow {
  run: RunRecord;
  /** Consolidated memories noting an original this attempt replaced (see `relinkAfterRemoval`). */
  relinked: MemoryRecord[];
}

/** Creates a run and all its (pending) windows together. */
export function createRun(db: DimmemDb, run: RunRecord, windows: WindowRecord[]): Promise<void> {
  return withWriteTransaction(db, ['runs', 'windows'], async (transaction) => {
    const store = transaction.objectStore('windows');
    const batch = requestBatch();
    batch.add(transaction.objectStore('runs').add(run));
    batch.addAll(windows, (window) => store.add(window));
    await batch.done();
  });
}

export function getRun(db: DimmemDb, runId: string): Promise<RunRecord | undefined> {
  return db.get('runs', runId);
}

export function listRuns(db: DimmemDb): Promise<RunRecord[]> {
  return db.getAllFromIndex('runs', 'by-created');
}

/** A run's windows in order. */
export function getWindows(db: DimmemDb, runId: string): Promise<WindowRecord[]> {
  return db.getAll('windows', windowsOf(runId));
}

export function listAllWindows(db: DimmemDb): Promise<WindowRecord[]> {
  return db.getAll('windows');
}

/** Reads a run, applies `change` and writes it back in one transaction. */
export function updateRun(
  db: DimmemDb,
  runId: string,
  change: (run: RunRecord) => RunRecord,
): Promise<RunRecord> {
  return withWriteTransaction(db, ['runs'], async (transaction) => {
    const store = transaction.objectStore('runs');
    const run = await store.get(runId);
    if (!run) throw new Error(`Run ${runId} does not exist.`);
    const next = change(run);
    await store.put(next);
    return next;
  });
}

/** The run with `status` from time `at`: started once, finished when the status ends it. */
export function withStatus(
  run: RunRecord,
  status: RunStatus,
  at: number,
  error: string | null = null,
): RunRecord {
  return {
    ...run,
    status,
    error,
    startedAt: status === 'running' ? (run.startedAt ?? at) : run.startedAt,
    finishedAt: status === 'done' || status === 'failed' || status === 'cancelled' ? at : null,
  };
}

export function setRunStatus(
  db: DimmemDb,
  runId: string,
  status: RunStatus,
  at: number,
  error: string | null = null,
): Promise<RunRecord> {
  return updateRun(db, runId, (run) => withStatus(run, status, at, error));
}

export function putWindow(db: DimmemDb, window: WindowRecord): Promise<void> {
  return withWriteTransaction(db, ['windows'], async (transaction) => {
    await transaction.objectStore('windows').put(window);
  });
}

/** Puts several windows back in one transaction (e.g. failed windows queued for a retry). */
export function putWindows(db: DimmemDb, windows: WindowRecord[]): Promise<void> {
  return withWriteTransaction(db, ['windows'], async (transaction) => {
    const store = transaction.objectStore('windows');
    const batch = requestBatch();
    batch.addAll(windows, (window) => store.put(window));
    await batch.done();
  });
}

/**
 * Commits a finished window: its record (status, raw answer, timings) and exactly `memories` as the
 * window's memories, in one transaction, so a crash leaves either the whole window or none of it.
 * Memories the window had from an earlier attempt are replaced, never duplicated. The run's totals
 * are recomputed from its windows inside the same transaction.
 */
export function commitWindow(
  db: DimmemDb,
  window: WindowRecord,
  memories: MemoryRecord[],
): Promise<CommittedWindow> {
  return withWriteTransaction(db, ['runs', 'windows', 'memories'], async (transaction) => {
    const memoryStore = transaction.objectStore('memories');
    const windowStore = transaction.objectStore('windows');
    const runStore = transaction.objectStore('runs');
    const [old, run] = await Promise.all([
      memoryStore.index('by-window').getAll([window.runId, window.index]),
      runStore.get(window.runId),
    ]);
    if (!run) throw new Error(`Run ${window.runId} does not exist.`);
    const keep = new Set(memories.map((memory) => memory.id));
    // A consolidated memory sits on its newest original's window but is not the window's own.
    const own = old.filter((memory) => memory.mergedFrom === undefined);
    const batch = requestBatch();
    batch.addAll(
      own.filter((memory) => !keep.has(memory.id)),
      (memory) => memoryStore.delete(memory.id),
    );
    batch.addAll(memories, (memory) => memoryStore.put(memory));
    batch.add(windowStore.put(window));
    await batch.done();
    // Earlier versions replaced by this attempt leave their text in their merged memory's history.
    const replaced = own.filter((memory) => memory.supersededBy !== undefined);
    const relinked = await relinkAfterRemoval(memoryStore, replaced, 're-extracted');
    const windows = await windowStore.getAll(windowsOf(window.runId));
    const next: RunRecord = { ...run, totals: totalsOf(windows) };
    await runStore.put(next);
    return { run: next, relinked };
  });
}

export function totalsOf(windows: WindowRecord[]): RunRecord['totals'] {
  const totals = { promptTokens: 0, completionTokens: 0, engineSeconds: 0, memoryCount: 0 };
  for (const window of windows) {
    totals.promptTokens += window.usage?.promptTokens ?? 0;
    totals.completionTokens += window.usage?.completionTokens ?? 0;
    totals.engineSeconds += window.timings?.totalSeconds ?? 0;
    totals.memoryCount += window.memoryCount;
  }
  return totals;
}

/**
 * Deletes a run and its windows; with `withMemories`, also the memories it produced (keeping
 * consolidation's versions whole: see `relinkAfterRemoval`).
 */
export function deleteRun(
  db: DimmemDb,
  runId: string,
  options: MemoryRemovalOptions,
): Promise<RemovedMemories> {
  return withWriteTransaction(db, ['runs', 'windows', 'memories'], async (transaction) => {
    const batch = requestBatch();
    batch.add(transaction.objectStore('runs').delete(runId));
    batch.add(transaction.objectStore('windows').delete(windowsOf(runId)));
    await batch.done();
    const memories = transaction.objectStore('memories');
    return removeMemoriesByIndex(memories, 'by-run', runId, 'run-deleted', options);
  });
}
