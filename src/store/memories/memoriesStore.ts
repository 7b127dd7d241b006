import { create } from 'zustand';

import type { MemoryRecord } from '../db/records';

export interface MemoriesState {
  /** Committed memories, in load order then arrival order. */
  memories: readonly MemoryRecord[];
  byId: ReadonlyMap<string, MemoryRecord>;
  /**
   * Memories of windows the model is still writing, keyed `runId:windowIndex`. In memory only:
   * they are replaced by the committed ones when the window finishes.
   */
  provisionalByWindow: Readonly<Record<string, readonly MemoryRecord[]>>;
  /** All provisional memories, flattened, for the table. */
  provisional: readonly MemoryRecord[];
  loaded: boolean;
  setAll: (memories: readonly MemoryRecord[]) => void;
  /** Adds or replaces memories (by id) in one update, however many there are. */
  upsertMany: (memories: readonly MemoryRecord[]) => void;
  removeMany: (ids: readonly string[]) => void;
  setProvisional: (runId: string, windowIndex: number, memories: readonly MemoryRecord[]) => void;
  /** Drops a window's provisional memories and adds its committed ones in the same update. */
  commitWindow: (runId: string, windowIndex: number, committed: readonly MemoryRecord[]) => void;
  clearProvisional: (runId: string, windowIndex: number) => void;
}

export const windowKey = (runId: string, windowIndex: number) => `${runId}:${windowIndex}`;

const flatten = (byWindow: Readonly<Record<string, readonly MemoryRecord[]>>) =>
  Object.values(byWindow).flat();

function upsert(
  state: Pick<MemoriesState, 'memories' | 'byId'>,
  incoming: readonly MemoryRecord[],
): Pick<MemoriesState, 'memories' | 'byId'> {
  if (incoming.length === 0) return state;
  const byId = new Map(state.byId);
  const added: MemoryRecord[] = [];
  let replaced = false;
  for (const memory of incoming) {
    if (byId.has(memory.id)) replaced = true;
    else added.push(memory);
    byId.set(memory.id, memory);
  }
  // Replacing in place keeps rows where they were; only then is a pass over all memories needed.
  const kept = replaced
    ? state.memories.map((memory) => byId.get(memory.id) ?? memory)
    : state.memories;
  return { byId, memories: added.length > 0 ? kept.concat(added) : kept };
}

/**
 * Every memory, loaded once from IndexedDB (a single getAll) and then kept in step by the services.
 * Each action is one state update however many records it carries, so 100,000 memories load and
 * live updates arrive without per-record renders.
 */
export const useMemoriesStore = create<MemoriesState>()((set) => ({
  memories: [],
  byId: new Map(),
  provisionalByWindow: {},
  provisional: [],
  loaded: false,
  setAll: (memories) =>
    set({ memories, byId: new Map(memories.map((memory) => [memory.id, memory])), loaded: true }),
  upsertMany: (incoming) => set((state) => upsert(state, incoming)),
  removeMany: (ids) =>
    set((state) => {
      const gone = new Set(ids);
      const byId = new Map(state.byId);
      for (const id of ids) byId.delete(id);
      return { byId, memories: state.memories.filter((memory) => !gone.has(memory.id)) };
    }),
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
      // Memories an earlier attempt of this window left behind are gone from the database too.
      const keep = new Set(committed.map((memory) => memory.id));
      const stale = state.memories.filter(
        (memory) =>
          memory.runId === runId && memory.windowIndex === windowIndex && !keep.has(memory.id),
      );
      let base: Pick<MemoriesState, 'memories' | 'byId'> = state;
      if (stale.length > 0) {
        const staleIds = new Set(stale.map((memory) => memory.id));
        const byId = new Map(state.byId);
        for (const id of staleIds) byId.delete(id);
        base = { byId, memories: state.memories.filter((memory) => !staleIds.has(memory.id)) };
      }
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
