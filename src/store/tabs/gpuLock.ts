import { createInProcessLockManager } from './inProcessLocks';
import type { LockManagerLike } from './lockManager';

/** The one lock every DimMem tab takes before it uses the GPU. */
export const GPU_LOCK_NAME = 'dimmem-gpu';

export type LockAttempt<T> = { acquired: true; value: T } | { acquired: false };

export interface GpuLock {
  /** Runs `work` holding the lock, or returns `{ acquired: false }` at once if another tab holds it. */
  tryWithLock<T>(work: () => Promise<T>): Promise<LockAttempt<T>>;
  /** Waits until no other tab holds the lock (it finished or closed), then runs `work` holding it. */
  waitForLock<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Whether a tab other than this one holds the lock now. */
  isHeldElsewhere(): Promise<boolean>;
}

function defaultLockManager(): LockManagerLike {
  if (typeof navigator !== 'undefined' && 'locks' in navigator && navigator.locks) {
    return navigator.locks as LockManagerLike;
  }
  return createInProcessLockManager();
}

export function createGpuLock(locks: LockManagerLike = defaultLockManager()): GpuLock {
  let heldHere = 0;
  const holding = async <T>(work: () => Promise<T>): Promise<T> => {
    heldHere += 1;
    try {
      return await work();
    } finally {
      heldHere -= 1;
    }
  };
  return {
    tryWithLock: <T>(work: () => Promise<T>) =>
      locks.request<LockAttempt<T>>(GPU_LOCK_NAME, { ifAvailable: true }, async (lock) =>
        lock ? { acquired: true, value: await holding(work) } : { acquired: false },
      ),
    waitForLock: <T>(work: () => Promise<T>, signal?: AbortSignal) =>
      locks.request<T>(GPU_LOCK_NAME, signal ? { signal } : {}, () => holding(work)),
    async isHeldElsewhere() {
      if (heldHere > 0 || !locks.query) return false;
      const snapshot = await locks.query();
      return (snapshot.held ?? []).some((lock) => lock.name === GPU_LOCK_NAME);
    },
  };
}
