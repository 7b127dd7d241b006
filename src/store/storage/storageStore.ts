import { create } from 'zustand';

import type { StorageProblem } from '../db/storageErrors';

export interface StorageUsage {
  usedBytes: number;
  quotaBytes: number;
}

export interface StorageState {
  /** Set when a write failed for lack of space; cleared when a later write succeeds. */
  quotaExceeded: boolean;
  /** A database upgrade waits for another tab to close. */
  upgradeBlocked: boolean;
  /** The last storage problem, written for the user, or null. */
  problem: { kind: StorageProblem; message: string } | null;
  usage: StorageUsage | null;
  /** Whether the browser granted persistent storage (null: not asked or not supported). */
  persisted: boolean | null;
  reportProblem: (kind: StorageProblem, message: string) => void;
  clearProblem: () => void;
  setUpgradeBlocked: (blocked: boolean) => void;
  setWriteSucceeded: () => void;
  setUsage: (usage: StorageUsage | null) => void;
  setPersisted: (persisted: boolean | null) => void;
}

/** App-wide storage health, so the UI can explain a full disk instead of failing silently. */
export const useStorageStore = create<StorageState>()((set) => ({
  quotaExceeded: false,
  upgradeBlocked: false,
  problem: null,
  usage: null,
  persisted: null,
  reportProblem: (kind, message) =>
    set((state) => ({
      problem: { kind, message },
      quotaExceeded: state.quotaExceeded || kind === 'quota',
    })),
  clearProblem: () => set({ problem: null }),
  setUpgradeBlocked: (upgradeBlocked) => set({ upgradeBlocked }),
  setWriteSucceeded: () =>
    set((state) => (state.quotaExceeded ? { quotaExceeded: false, problem: null } : state)),
  setUsage: (usage) => set({ usage }),
  setPersisted: (persisted) => set({ persisted }),
}));
