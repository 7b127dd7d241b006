import { create } from 'zustand';

import type { BuildFailure, BuildState } from '../../engine/convert/buildState';
import type { BuildProgress } from '../../engine/convert/buildProgress';
import { readDevCheckpointHost } from './modelBuildSettings';
import type { DevCheckpointHost } from './modelBuildSettings';

export type { BuildFailure, BuildState } from '../../engine/convert/buildState';
export type { BuildProgress } from '../../engine/convert/buildProgress';

/** Saving a build to a folder on disk. */
export type FolderSave =
  | { state: 'idle' }
  | { state: 'saving'; modelId: string; filesDone: number; filesTotal: number; bytes: number }
  | { state: 'saved'; modelId: string; folderName: string; files: number }
  | { state: 'error'; modelId: string; message: string };

/**
 * A model build as the views see it. Only the named actions below change it; the build runner
 * (modelBuildRun.ts) and the folder save (buildFolderSave.ts) call them.
 */
export interface ModelBuildStoreState {
  /** The stored build (running, paused, failed), null when none. */
  build: BuildState | null;
  /** True while this tab runs it. */
  running: boolean;
  /** What the running build reports. */
  progress: BuildProgress | null;
  /** A failure outside the stored state (a refusal before pinning, a lock held elsewhere). */
  failure: BuildFailure | null;
  devHost: DevCheckpointHost | null;
  freeBytes: number | null;
  folderSave: FolderSave;
  setSurroundings: (devHost: DevCheckpointHost | null, freeBytes: number | null) => void;
  setBuild: (build: BuildState | null) => void;
  setProgress: (progress: BuildProgress) => void;
  setFailure: (failure: BuildFailure | null) => void;
  /** This tab starts running the build. */
  started: () => void;
  /** This tab stopped running it; `freeBytes` is measured again. */
  stopped: (freeBytes: number | null) => void;
  /** Paused: the paused state, with no progress. */
  paused: (build: BuildState) => void;
  /** Failed with its state stored (the failure is in it). */
  failedAt: (build: BuildState) => void;
  /** The build is listed as a model (`discarded`: removed with everything it wrote). */
  ended: (change: { discarded: boolean }) => void;
  setFolderSave: (folderSave: FolderSave) => void;
}

export const useModelBuildStore = create<ModelBuildStoreState>()((set) => ({
  build: null,
  running: false,
  progress: null,
  failure: null,
  devHost: readDevCheckpointHost(),
  freeBytes: null,
  folderSave: { state: 'idle' },
  setSurroundings: (devHost, freeBytes) => set({ devHost, freeBytes }),
  setBuild: (build) => set({ build }),
  setProgress: (progress) => set({ progress }),
  setFailure: (failure) => set({ failure }),
  started: () => set({ running: true, failure: null, progress: null }),
  stopped: (freeBytes) => set({ running: false, freeBytes }),
  paused: (build) => set({ build, progress: null }),
  failedAt: (build) => set({ build, failure: null }),
  ended: ({ discarded }) =>
    set(
      discarded ? { build: null, progress: null, failure: null } : { build: null, progress: null },
    ),
  setFolderSave: (folderSave) => set({ folderSave }),
}));

/** Bytes the published checkpoint downloads: Qwen3-4B's 4.02 B weights in bf16, plus tokenizer. */
export const checkpointDownloadBytes = 8_056_000_000;
/** Bytes a build keeps: the weights (either quantization) plus tokenizer and configs. */
export const buildKeptBytes = 2_262_920_192 + 11_500_000;
/** Memory a build holds at most: the largest output shard (the 185.5 MiB embedding) and blocks. */
export const buildMemoryBytes = 400 * 2 ** 20;
