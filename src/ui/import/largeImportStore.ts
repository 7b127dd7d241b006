import { create } from 'zustand';

import type { ImportOptions } from '../../core/import';
import type { ReimportChoice } from '../../store/import/importService';
import { appServices } from '../../store/boot/appServices';
import { ImportCancelled, importWorker } from '../../store/import/importWorkerClient';
import type {
  DuplicateRow,
  ImportProgress,
  SaveOutcome,
  SourceSummary,
} from '../../store/import/importWorkerClient';
import { errorText } from '../../core/errorText';

/** Where one large file is in its import. */
export type LargeSourceState =
  | { status: 'reading'; progress: ImportProgress | null; optionsKey: string }
  | { status: 'ready'; summary: SourceSummary; optionsKey: string }
  | {
      status: 'saving';
      summary: SourceSummary;
      progress: ImportProgress | null;
      optionsKey: string;
    }
  | { status: 'failed'; error: string; optionsKey: string }
  | { status: 'cancelled'; optionsKey: string };

interface LargeImportState {
  sources: Record<string, LargeSourceState>;
  set: (key: string, state: LargeSourceState | null) => void;
}

/** The large files of the draft, read and saved by the import worker. */
export const useLargeImportStore = create<LargeImportState>()((set) => ({
  sources: {},
  set: (key, state) =>
    set((current) => {
      const sources = { ...current.sources };
      if (state === null) delete sources[key];
      else sources[key] = state;
      return { sources };
    }),
}));

const stateOf = (key: string) => useLargeImportStore.getState().sources[key];
const setState = (key: string, state: LargeSourceState | null) =>
  useLargeImportStore.getState().set(key, state);
const opened = new Set<string>();

/**
 * Reads a large file in the worker with these choices (once per set of choices): its preview
 * arrives in the store with progress while it is read.
 */
export async function previewLargeSource(
  key: string,
  file: File,
  options: ImportOptions,
): Promise<void> {
  const optionsKey = JSON.stringify(options);
  const current = stateOf(key);
  if (current && current.optionsKey === optionsKey && current.status !== 'failed') return;
  setState(key, { status: 'reading', progress: null, optionsKey });
  try {
    if (!opened.has(key)) {
      opened.add(key);
      await importWorker.open(key, file);
    }
    const summary = await importWorker.preview(key, options, (progress) => {
      const now = stateOf(key);
      if (now?.status === 'reading' && now.optionsKey === optionsKey) {
        setState(key, { status: 'reading', progress, optionsKey });
      }
    });
    if (stateOf(key)?.optionsKey === optionsKey) {
      setState(key, { status: 'ready', summary, optionsKey });
    }
  } catch (error) {
    if (stateOf(key)?.optionsKey !== optionsKey) return;
    setState(
      key,
      error instanceof ImportCancelled
        ? { status: 'cancelled', optionsKey }
        : { status: 'failed', error: errorText(error), optionsKey },
    );
  }
}

/** Stops reading or saving a large file; a save in progress is taken back entirely. */
export function cancelLargeSource(key: string): void {
  void importWorker.cancel(key);
}

/** Forgets a large file (removed from the draft, or saved). */
export function closeLargeSource(key: string): void {
  setState(key, null);
  if (opened.delete(key)) void importWorker.close(key);
}

/** The conversations of a large file that are already stored. */
export function checkLargeSource(key: string): Promise<DuplicateRow[]> {
  return importWorker.check(key);
}

/**
 * Saves a large file's conversations from the worker. Resolves with what was saved, or null when
 * the user cancelled (nothing of it is then stored).
 */
export async function saveLargeSource(
  key: string,
  choices: Record<string, ReimportChoice>,
): Promise<SaveOutcome | null> {
  const current = stateOf(key);
  if (current?.status !== 'ready') throw new Error('this file is not ready to be saved');
  const { summary, optionsKey } = current;
  setState(key, { status: 'saving', summary, progress: null, optionsKey });
  try {
    const outcome = await importWorker.save(key, choices, Date.now(), (progress) =>
      setState(key, { status: 'saving', summary, progress, optionsKey }),
    );
    setState(key, { status: 'ready', summary, optionsKey });
    await appServices().imports.publishSaved(outcome.saved);
    return outcome;
  } catch (error) {
    setState(key, { status: 'ready', summary, optionsKey });
    if (error instanceof ImportCancelled) return null;
    throw error;
  }
}
