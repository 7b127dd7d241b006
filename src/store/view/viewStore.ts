import { create } from 'zustand';

import { filtersFromParams, sortFromParams, writeFilterParams } from '../../core/filter';
import type { HistoryMode } from './filterStore';
import { useFilterStore } from './filterStore';

// `tidy`: the consolidation review queue (issue #17), beside the memories it tidies.
export const views = ['import', 'runs', 'memories', 'tidy', 'model'] as const;
export type View = (typeof views)[number];

export interface ViewState {
  view: View;
  /** The memory whose detail panel is open. */
  openMemoryId: string | null;
  historyMode: HistoryMode;
  setView: (view: View) => void;
  openMemory: (id: string | null) => void;
  /** Replaces both from the URL: no new history entry. */
  hydrate: (view: View, openMemoryId: string | null) => void;
}

const isView = (value: string | null): value is View =>
  value !== null && (views as readonly string[]).includes(value);

/** Which view is shown and which memory is open; the URL mirrors it. */
export const useViewStore = create<ViewState>()((set) => ({
  view: 'memories',
  openMemoryId: null,
  historyMode: 'none',
  setView: (view) => set({ view, historyMode: 'push' }),
  openMemory: (openMemoryId) => set({ openMemoryId, historyMode: 'push' }),
  hydrate: (view, openMemoryId) => set({ view, openMemoryId, historyMode: 'none' }),
}));

/** `?view=memories&type=fact&q=paris&memory=…` for the current state of both stores. */
export function currentSearch(): string {
  const { view, openMemoryId } = useViewStore.getState();
  const { filters, sort } = useFilterStore.getState();
  const params = new URLSearchParams();
  params.set('view', view);
  // Filters matter to the memories view only; elsewhere they would just clutter the URL.
  if (view === 'memories') {
    writeFilterParams(params, filters, sort);
    if (openMemoryId !== null) params.set('memory', openMemoryId);
  }
  return `?${params.toString()}`;
}

/** Sets both stores from a query string (first load, back and forward buttons). */
export function hydrateFromSearch(search: string, fallbackView: View): void {
  const params = new URLSearchParams(search);
  const requested = params.get('view');
  useViewStore
    .getState()
    .hydrate(isView(requested) ? requested : fallbackView, params.get('memory'));
  useFilterStore.getState().hydrate(filtersFromParams(params), sortFromParams(params));
}

/**
 * Keeps the address bar and the stores in step: store changes push or replace a history entry
 * (as the change asked), and back/forward restore the stores. Returns the function that stops it.
 */
export function startUrlSync(fallbackView: () => View): () => void {
  hydrateFromSearch(window.location.search, fallbackView());
  window.history.replaceState(window.history.state, '', currentSearch());

  const write = (mode: HistoryMode) => {
    if (mode === 'none') return;
    const search = currentSearch();
    if (search === window.location.search) return;
    if (mode === 'push') window.history.pushState(null, '', search);
    else window.history.replaceState(null, '', search);
  };
  const stopView = useViewStore.subscribe((state, previous) => {
    if (state !== previous) write(state.historyMode);
  });
  const stopFilters = useFilterStore.subscribe((state, previous) => {
    if (state !== previous) write(state.historyMode);
  });
  const onPopState = () => hydrateFromSearch(window.location.search, fallbackView());
  window.addEventListener('popstate', onPopState);
  return () => {
    stopView();
    stopFilters();
    window.removeEventListener('popstate', onPopState);
  };
}
