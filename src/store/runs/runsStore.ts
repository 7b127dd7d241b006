import { create } from 'zustand';

import type { RunRecord, WindowRecord } from '../db/records';

/** Who is running a run right now, as this tab knows it. */
export type RunOwner = 'this-tab' | 'other-tab';

/** What the window being extracted is doing, updated while the model writes. */
export interface LiveWindow {
  runId: string;
  windowIndex: number;
  /** Characters of answer written so far. */
  answerChars: number;
  /** Memories already complete in the answer so far. */
  memoriesSoFar: number;
}

export interface RunsState {
  /** All runs, newest first. */
  runs: RunRecord[];
  /** Each run's windows, in order. */
  windowsByRun: Record<string, WindowRecord[]>;
  /** Runs being extracted now, by this tab or (seen through broadcasts) another one. */
  owners: Record<string, RunOwner>;
  live: LiveWindow | null;
  loaded: boolean;
  /**
   * Whether this tab has learnt which runs other tabs are extracting (it asked the GPU lock after
   * loading). Until then a run another tab extracts looks interrupted.
   */
  ownersKnown: boolean;
  setAll: (runs: RunRecord[], windows: WindowRecord[]) => void;
  upsertRun: (run: RunRecord) => void;
  upsertWindows: (windows: WindowRecord[]) => void;
  removeRun: (runId: string) => void;
  setOwner: (runId: string, owner: RunOwner | null) => void;
  setLive: (live: LiveWindow | null) => void;
  setOwnersKnown: () => void;
}

const newestFirst = (a: RunRecord, b: RunRecord) => b.createdAt - a.createdAt;

function groupWindows(windows: WindowRecord[]): Record<string, WindowRecord[]> {
  const grouped: Record<string, WindowRecord[]> = {};
  for (const window of windows) (grouped[window.runId] ??= []).push(window);
  for (const list of Object.values(grouped)) list.sort((a, b) => a.index - b.index);
  return grouped;
}

/** Runs and their windows, as loaded from IndexedDB and updated by the run service. */
export const useRunsStore = create<RunsState>()((set) => ({
  runs: [],
  windowsByRun: {},
  owners: {},
  live: null,
  loaded: false,
  ownersKnown: false,
  setAll: (runs, windows) =>
    set({ runs: [...runs].sort(newestFirst), windowsByRun: groupWindows(windows), loaded: true }),
  upsertRun: (run) =>
    set((state) => ({
      runs: [...state.runs.filter((existing) => existing.id !== run.id), run].sort(newestFirst),
    })),
  upsertWindows: (windows) =>
    set((state) => {
      const windowsByRun = { ...state.windowsByRun };
      for (const window of windows) {
        const list = [...(windowsByRun[window.runId] ?? [])];
        const at = list.findIndex((existing) => existing.index === window.index);
        if (at === -1) list.push(window);
        else list[at] = window;
        list.sort((a, b) => a.index - b.index);
        windowsByRun[window.runId] = list;
      }
      return { windowsByRun };
    }),
  removeRun: (runId) =>
    set((state) => {
      const { [runId]: _windows, ...windowsByRun } = state.windowsByRun;
      const { [runId]: _owner, ...owners } = state.owners;
      return { runs: state.runs.filter((run) => run.id !== runId), windowsByRun, owners };
    }),
  setOwner: (runId, owner) =>
    set((state) => {
      const { [runId]: _previous, ...owners } = state.owners;
      return { owners: owner === null ? owners : { ...owners, [runId]: owner } };
    }),
  setLive: (live) => set({ live }),
  setOwnersKnown: () => set({ ownersKnown: true }),
}));

/**
 * A run marked `running` that no tab is extracting: its tab closed or crashed mid-run. The UI
 * offers to resume it.
 */
export function isInterrupted(run: RunRecord, owners: Record<string, RunOwner>): boolean {
  return run.status === 'running' && owners[run.id] === undefined;
}
