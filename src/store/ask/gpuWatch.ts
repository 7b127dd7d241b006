/** Whether a run holds this browser's GPU, as the ask service needs to know it. */
export interface GpuWatch {
  /** Why the GPU is busy now (`a run is extracting memories`), or null when it is free. */
  busy(): string | null;
  /** Calls back whenever `busy` may have changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** Resolves when the GPU is free; rejects with an AbortError when `signal` aborts first. */
export function waitUntilGpuFree(gpu: GpuWatch, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (gpu.busy() === null) {
      resolve();
      return;
    }
    const finish = (error?: unknown) => {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () => finish(new DOMException('Stopped while waiting', 'AbortError'));
    const unsubscribe = gpu.subscribe(() => {
      if (gpu.busy() === null) finish();
    });
    signal.addEventListener('abort', onAbort);
  });
}
