import type { ImportOptions } from '../../core/import';
import type { ReimportChoice } from './importService';
import type { DuplicateRow, SaveOutcome, SourceSummary } from './importSession';
import type { ImportProgress } from './sourcePass';

/** What the page asks the import worker. Each file is one session, named by `key`. */
export type ImportWorkerRequest =
  | { id: number; type: 'open'; key: string; file: File }
  | { id: number; type: 'preview'; key: string; options: ImportOptions }
  | { id: number; type: 'check'; key: string }
  | {
      id: number;
      type: 'save';
      key: string;
      choices: Record<string, ReimportChoice>;
      importedAt: number;
    }
  /** Stops the session's preview or save in progress (a save is rolled back). */
  | { id: number; type: 'cancel'; key: string }
  | { id: number; type: 'close'; key: string };

export interface ImportWorkerResults {
  open: null;
  preview: SourceSummary;
  check: DuplicateRow[];
  save: SaveOutcome;
  cancel: null;
  close: null;
}

/** What the worker answers: progress while working, then one result or one error per request. */
export type ImportWorkerResponse =
  | { id: number; type: 'progress'; progress: ImportProgress }
  | { id: number; type: 'done'; result: ImportWorkerResults[keyof ImportWorkerResults] }
  | { id: number; type: 'failed'; message: string; cancelled: boolean };
