import { errorText } from '../../core/errorText';

/** What went wrong with storage, in the terms a user can act on. */
export type StorageProblem = 'quota' | 'blocked' | 'newer-version' | 'unavailable' | 'unknown';

const messages: Record<StorageProblem, string> = {
  quota:
    'The browser has no more storage for DimMem. Nothing was half-saved: the last change was rolled back. ' +
    'Export and delete old runs or memories, or free disk space, then try again.',
  blocked:
    'DimMem is updating its storage but another DimMem tab still uses the old version. ' +
    'Close the other DimMem tabs (or reload them) to continue.',
  'newer-version':
    'This storage was written by a newer version of DimMem. Reload the page to get the newer app.',
  unavailable:
    'The browser does not allow DimMem to store data here (private window or storage disabled). ' +
    'Imported chats and memories will not be kept.',
  unknown: 'Storage failed: ',
};

/** An error from IndexedDB or the storage layer, with a message written for the user. */
export class StorageError extends Error {
  readonly problem: StorageProblem;

  constructor(problem: StorageProblem, detail?: string, options?: { cause?: unknown }) {
    super(
      problem === 'unknown' ? messages.unknown + (detail ?? 'unknown error') : messages[problem],
      options,
    );
    this.name = 'StorageError';
    this.problem = problem;
  }
}

function errorName(error: unknown): string | null {
  if (
    error instanceof Error ||
    (typeof DOMException !== 'undefined' && error instanceof DOMException)
  ) {
    return error.name;
  }
  if (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    typeof error.name === 'string'
  ) {
    return error.name;
  }
  return null;
}

export function isQuotaExceeded(error: unknown): boolean {
  const name = errorName(error);
  // Firefox used its own name before standardising on QuotaExceededError.
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** Maps any error thrown by IndexedDB (or already a StorageError) to a StorageError. */
export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  if (isQuotaExceeded(error)) return new StorageError('quota', undefined, { cause: error });
  const name = errorName(error);
  if (name === 'VersionError')
    return new StorageError('newer-version', undefined, { cause: error });
  if (name === 'SecurityError' || name === 'InvalidStateError') {
    return new StorageError('unavailable', undefined, { cause: error });
  }
  const detail = errorText(error);
  return new StorageError('unknown', detail, { cause: error });
}
