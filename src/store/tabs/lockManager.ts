/** What a lock request asks for: `ifAvailable` gives up at once when held; `signal` ends a wait. */
export interface LockRequestOptions {
  ifAvailable?: boolean;
  signal?: AbortSignal;
}

/** The part of the Web Locks API (`navigator.locks`) used here; injectable for tests. */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: LockRequestOptions,
    callback: (lock: { name: string } | null) => Promise<T> | T,
  ): Promise<T>;
  query?: () => Promise<{ held?: { name?: string }[] }>;
}
