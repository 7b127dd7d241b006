import type { SearchIndex } from '../../core/search';
import type { MemoryRecord } from '../db/records';

/** Whether the meaning route can rank now, and why not. */
export type MeaningStatus = { state: 'on'; modelId: string } | { state: 'off'; reason: string };

/**
 * What the Ask box needs from the browser's embeddings (src/store/embeddings, built apart): a
 * status, the stored vectors of the memories being ranked, and the question's vector. Until an
 * implementation is registered with {@link setMeaningRoute}, the route is off and says why.
 */
export interface MeaningRoute {
  status(): MeaningStatus;
  /** Puts the stored vectors of the index's memories into it (those that have one). */
  fillVectors(index: SearchIndex<MemoryRecord>): void;
  embedQuestion(text: string, signal?: AbortSignal): Promise<Float32Array>;
  /** Calls back when the status or the stored vectors change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export function offMeaningRoute(reason: string): MeaningRoute {
  return {
    status: () => ({ state: 'off', reason }),
    fillVectors: () => undefined,
    embedQuestion: () => Promise.reject(new Error(reason)),
    subscribe: () => () => undefined,
  };
}

const swapListeners = new Set<() => void>();

let current: MeaningRoute = offMeaningRoute('no embedding model is loaded in this browser');

export const getMeaningRoute = (): MeaningRoute => current;

/** Registers the embeddings' implementation; views ranking now re-rank with it. */
export function setMeaningRoute(route: MeaningRoute): void {
  current = route;
  for (const listener of [...swapListeners]) listener();
}

/** Calls back when the route is replaced or the current one changes; returns the unsubscribe. */
export function subscribeMeaningRoute(listener: () => void): () => void {
  let inner = current.subscribe(listener);
  const onSwap = () => {
    inner();
    inner = current.subscribe(listener);
    listener();
  };
  swapListeners.add(onSwap);
  return () => {
    swapListeners.delete(onSwap);
    inner();
  };
}
