import type { ImportOptions } from '../../core/import';
import type { ReimportChoice } from './importService';
import type { DuplicateRow, SaveOutcome, SourceSummary, SummaryRow } from './importSession';
import type { ImportProgress } from './sourcePass';
import type { ImportWorkerRequest, ImportWorkerResponse } from './importWorkerProtocol';

/** A request the worker turned down because the user cancelled it. */
export class ImportCancelled extends Error {
  override name = 'ImportCancelled';
}

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: ImportProgress) => void;
};

type Body<T extends ImportWorkerRequest['type']> = Omit<
  Extract<ImportWorkerRequest, { type: T }>,
  'id' | 'type'
>;

/**
 * The page's side of the import worker: one worker for all large files, started on first use.
 * Each call is one request; progress arrives through its callback.
 */
class ImportWorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<ImportWorkerResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      // The worker itself failed (it could not load): every request waiting on it fails.
      for (const pending of this.pending.values()) {
        pending.reject(new Error(`the import worker stopped: ${event.message || 'load error'}`));
      }
      this.pending.clear();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }

  private receive(message: ImportWorkerResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'done') pending.resolve(message.result);
    else if (message.cancelled) pending.reject(new ImportCancelled(message.message));
    else pending.reject(new Error(message.message));
  }

  private request<T, Type extends ImportWorkerRequest['type'] = ImportWorkerRequest['type']>(
    type: Type,
    body: Body<Type>,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<T> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
      worker.postMessage({ id, type, ...body } as ImportWorkerRequest);
    });
  }

  open(key: string, file: File): Promise<null> {
    return this.request('open', { key, file });
  }
  preview(
    key: string,
    options: ImportOptions,
    onProgress: (progress: ImportProgress) => void,
  ): Promise<SourceSummary> {
    return this.request('preview', { key, options }, onProgress);
  }
  check(key: string): Promise<DuplicateRow[]> {
    return this.request('check', { key });
  }
  save(
    key: string,
    choices: Record<string, ReimportChoice>,
    importedAt: number,
    onProgress: (progress: ImportProgress) => void,
  ): Promise<SaveOutcome> {
    return this.request('save', { key, choices, importedAt }, onProgress);
  }
  cancel(key: string): Promise<null> {
    return this.request('cancel', { key });
  }
  close(key: string): Promise<null> {
    return this.request('close', { key });
  }
}

export const importWorker = new ImportWorkerClient();
export type { DuplicateRow, ImportProgress, SaveOutcome, SourceSummary, SummaryRow };
