import type { LockManagerLike, LockRequestOptions } from './lockManager';

interface Waiter {
  grant: () => void;
}

/**
 * A Web Locks–compatible lock manager for one JavaScript realm (exclusive locks only): the fallback
 * where `navigator.locks` is missing, and a stand-in for separate tabs in Node tests (two run
 * services sharing one manager behave like two tabs sharing the browser's).
 */
export function createInProcessLockManager(): LockManagerLike {
  const held = new Set<string>();
  const queues = new Map<string, Waiter[]>();

  const release = (name: string) => {
    held.delete(name);
    const next = queues.get(name)?.shift();
    if (next) next.grant();
  };

  return {
    async request<T>(
      name: string,
      options: LockRequestOptions,
      callback: (lock: { name: string } | null) => Promise<T> | T,
    ): Promise<T> {
      if (options.ifAvailable && held.has(name)) return callback(null);
      if (held.has(name)) {
        await new Promise<void>((resolve, reject) => {
          const queue = queues.get(name) ?? [];
          queues.set(name, queue);
          const waiter: Waiter = {
            grant: () => {
              options.signal?.removeEventListener('abort', onAbort);
              resolve();
            },
          };
          const onAbort = () => {
            queue.splice(queue.indexOf(waiter), 1);
            reject(options.signal?.reason ?? new DOMException('Aborted', 'AbortError'));
          };
          if (options.signal?.aborted) return onAbort();
          options.signal?.addEventListener('abort', onAbort, { once: true });
          queue.push(waiter);
        });
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        release(name);
      }
    },
    query: () => Promise.resolve({ held: [...held].map((name) => ({ name })) }),
  };
}
