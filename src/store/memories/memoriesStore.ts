import { create } from 'zustand';

import type { MemoryRecord } from '../db/records';

export interface MemoriesState {
  /**
   * Committed CURRENT memories, in load order then arrival order: what the table, its counts,
   * search, Ask and embeddings see. Earlier versions (records with `supersededBy`) are in `earlier`.
   */
  memories: readonly MemoryRecord[];
  byId: ReadonlyMap<string, MemoryRecord>;
  /** Earlier versions kept by consolidation, by id (the detail panel's history). */
  earlier: ReadonlyMap<string, MemoryRecord>;
  /**
   * Memories of windows the model is still writing, keyed `runId:windowIndex`. In memory only:
   * they are replaced by the committed ones when the window finishes.
   */
  provisionalByWindow: Readonly<Record<string, readonly MemoryRecord[]>>;
  /** All provisional memories, flattened, for the table. */
  provisional: readonly MemoryRecord[];
  loaded: boolean;
  setAll: (memories: readonly MemoryRecord[]) => void;
  /**
   * Adds or replaces memories (by id) in one update, however many there are; a record that became
   * an earlier version moves to `earlier`, one that is current again moves back.
   */
  upsertMany: (memories: readonly MemoryRecord[]) => void;
  removeMany: (ids: readonly string[]) => void;
  /** `upsertMany` and `removeMany` in one update (a consolidation, its undo). */
  replaceVersions: (memories: readonly MemoryRecord[], removedIds: readonly string[]) => void;
  setProvisional: (runId: string, windowIndex: number, memories: readonly MemoryRecord[]) => void;
  /** Drops a window's provisional memories and adds its committed ones in the same update. */
  commitWindow: (runId: string, windowIndex: number, committed: readonly MemoryRecord[]) => void;
  clearProvisional: (runId: string, windowIndex: number) => void;
}

export const windowKey = (runId: string, windowIndex: number) => `${runId}:${windowIndex}`;

const flatten = (byWindow: Readonly<Record<string, readonly MemoryRecord[]>>) =>
  Object.values(byWindow).flat();

type Committed = Pick<MemoriesState, 'memories' | 'byId' | 'earlier'>;

/** An earlier version is one another memory replaced. */
export const isCurrentMemory = (memory: MemoryRecord): boolean => memory.supersededBy === undefined;

function split(records: readonly MemoryRecord[]): Committed {
  const memories: MemoryRecord[] = [];
  const earlier = new Map<string, MemoryRecord>();
  for (const record of records) {
    if (isCurrentMemory(record)) memories.push(record);
    else earlier.set(record.id, record);
  }
  return { memories, byId: new Map(memories.map((memory) => [memory.id, memory])), earlier };
}

function remove(state: Committed, ids: readonly string[]): Committed {
  if (ids.length === 0) return state;
  const gone = new Set(ids);
  const byId = new Map(state.byId);
  let earlier = state.earlier;
  let removedCurrent = false;
  for (const id of ids) {
    if (byId.delete(id)) removedCurrent = true;
    if (earlier.has(id)) {
      if (earlier === state.earlier) earlier = new Map(earlier);
      (earlier as Map<string, MemoryRecord>).delete(id);
    }
  }
  const memories = removedCurrent
    ? state.memories.filter((memory) => !gone.has(memory.id))
    : state.memories;
  return { byId, memories, earlier };
}

function upsert(state: Committed, incoming: readonly MemoryRecord[]): Committed {
  if (incoming.length === 0) return state;
  const current = incoming.filter(isCurrentMemory);
  const versions = incoming.filter((memory) => !isCurrentMemory(memory));
  let base = state;
  if (versions.length > 0) {
    base = remove(
      state,
      versions.filter((memory) => state.byId.has(memory.id)).map((memory) => memory.id),
    );
    const earlier = new Map(base.earlier);
    for (const memory of versions) earlier.set(memory.id, memory);
    base = { ...base, earlier };
  }
  const revived = current.filter((memory) => base.earlier.has(memory.id));
  if (revived.length > 0) {
    const earlier = new Map(base.earlier);
    for (const memory of revived) earlier.delete(memory.id);
    base = { ...base, earlier };
  }
  if (current.length === 0) return base;
  const byId = new Map(base.byId);
  const added: MemoryRecord[] = [];
  let replaced = false;
  for (const memory of current) {
    if (byId.has(memory.id)) replaced = true;
    else added.push(memory);
    byId.set(memory.id, memory);
  }
  // Replacing in place keeps rows where they were; only then is a pass over all memories needed.
  const kept = replaced
    ? base.memories.map((memory) => byId.get(memory.id) ?? memory)
    : base.memories;
  return { byId, earlier: base.earlier, memories: added.length > 0 ? kept.concat(added) : kept };
}

/**
 * Every memory, loaded once from IndexedDB (a single getAll) and then kept in step by the services.
 * Each action is one state update however many records it carries, so 100,000 memories load and
 * live updates arrive without per-record renders.
 */
export const useMemoriesStore = create<MemoriesState>()((set) => ({
  memories: [],
  byId: new Map(),
  earlier: new Map(),
  provisionalByWindow: {},
  provisional: [],
  loaded: false,
  setAll: (records) => set({ ...split(records), loaded: true }),
  upsertMany: (incoming) => set((state) => upsert(state, incoming)),
  removeMany: (ids) => set((state) => remove(state, ids)),
  replaceVersions: (incoming, removedIds) =>
    set((state) => upsert(remove(state, removedIds), incoming)),
  setProvisional: (runId, windowIndex, memories) =>
    set((state) => {
      const provisionalByWindow = {
        ...state.provisionalByWindow,
        [windowKey(runId, windowIndex)]: memories,
      };
      return { provisionalByWindow, provisional: flatten(provisionalByWindow) };
    }),
  commitWindow: (runId, windowIndex, committed) =>
    set((state) => {
      const { [windowKey(runId, windowIndex)]: _done, ...provisionalByWindow } =
        state.provisionalByWindow;
      // Memories an earlier attempt of this window left behind are gone from the database too
      // (a consolidated memory on this window is not the window's own: it stays).
      const keep = new Set(committed.map((memory) => memory.id));
      const isStale = (memory: MemoryRecord) =>
        memory.runId === runId &&
        memory.windowIndex === windowIndex &&
        memory.mergedFrom === undefined &&
        !keep.has(memory.id);
      const stale = [...state.memories, ...state.earlier.values()].filter(isStale);
      const base = remove(
        state,
        stale.map((memory) => memory.id),
      );
      return {
        ...upsert(base, committed),
        provisionalByWindow,
        provisional: flatten(provisionalByWindow),
      };
    }),
  clearProvisional: (runId, windowIndex) =>
    set((state) => {
      const { [windowKey(runId, windowIndex)]: _gone, ...provisionalByWindow } =
        state.provisionalByWindow;
      return { provisionalByWindow, provisional: flatten(provisionalByWindow) };
    }),
}));
