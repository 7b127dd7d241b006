import type { GpuWatch } from '../../src/store/ask/gpuWatch';

/** A GPU no run ever holds. */
export const freeGpu: GpuWatch = { busy: () => null, subscribe: () => () => undefined };

/**
 * A GPU the test hands out and takes back: `setBusy(reason)` as a run starts extracting on it,
 * `setBusy(null)` as the run ends; whoever subscribed hears of each turn.
 */
export function turnableGpu(busyAtFirst: string | null = null) {
  let busy = busyAtFirst;
  const listeners = new Set<() => void>();
  const gpu: GpuWatch = {
    busy: () => busy,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const setBusy = (reason: string | null) => {
    busy = reason;
    for (const listener of listeners) listener();
  };
  return { gpu, setBusy };
}
