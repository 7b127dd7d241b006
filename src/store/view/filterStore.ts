import { create } from 'zustand';

import { emptyFilters } from '../../core/filter';
import type { MemoryFilters, MemorySort } from '../../core/filter';

/**
 * How a change should land in the browser history: `push` makes a back-button step, `replace`
 * updates the current entry (typing in the search box), `none` came from the URL itself.
 */
export type HistoryMode = 'push' | 'replace' | 'none';

export interface FilterState {
  filters: MemoryFilters;
  sort: MemorySort | null;
  historyMode: HistoryMode;
  /** Changes some filters; everything else stays. */
  setFilters: (patch: Partial<MemoryFilters>, mode?: HistoryMode) => void;
  /** Free text: the first keystroke makes a history step, the rest update it. */
  setText: (text: string) => void;
  toggleType: (type: MemoryFilters['types'][number]) => void;
  toggleKeyword: (keyword: string) => void;
  setSort: (sort: MemorySort | null) => void;
  clearFilters: () => void;
  /** Replaces everything from the URL (popstate, first load): no new history entry. */
  hydrate: (filters: MemoryFilters, sort: MemorySort | null) => void;
}

const toggle = <V>(values: readonly V[], value: V): V[] =>
  values.includes(value) ? values.filter((item) => item !== value) : [...values, value];

/** The memories view's filters and sort; the URL mirrors them (see viewStore's URL sync). */
export const useFilterStore = create<FilterState>()((set) => ({
  filters: emptyFilters,
  sort: null,
  historyMode: 'none',
  setFilters: (patch, mode = 'push') =>
    set((state) => ({ filters: { ...state.filters, ...patch }, historyMode: mode })),
  setText: (text) =>
    set((state) => ({
      filters: { ...state.filters, text },
      historyMode: state.filters.text === '' ? 'push' : 'replace',
    })),
  toggleType: (type) =>
    set((state) => ({
      filters: { ...state.filters, types: toggle(state.filters.types, type) },
      historyMode: 'push',
    })),
  toggleKeyword: (keyword) =>
    set((state) => {
      const lower = keyword.toLowerCase();
      const has = state.filters.keywords.some((k) => k.toLowerCase() === lower);
      const keywords = has
        ? state.filters.keywords.filter((k) => k.toLowerCase() !== lower)
        : [...state.filters.keywords, keyword];
      return { filters: { ...state.filters, keywords }, historyMode: 'push' };
    }),
  setSort: (sort) => set({ sort, historyMode: 'push' }),
  clearFilters: () =>
    set((state) => ({
      filters: { ...emptyFilters, timeBasis: state.filters.timeBasis },
      historyMode: 'push',
    })),
  hydrate: (filters, sort) => set({ filters, sort, historyMode: 'none' }),
}));
