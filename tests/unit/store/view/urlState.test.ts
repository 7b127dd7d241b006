import { beforeEach, describe, expect, it } from 'vitest';

import { emptyFilters } from '../../../../src/core/filter';
import { useFilterStore } from '../../../../src/store/view/filterStore';
import {
  currentSearch,
  hydrateFromSearch,
  useViewStore,
} from '../../../../src/store/view/viewStore';

describe('view and filters in the URL', () => {
  beforeEach(() => {
    useFilterStore.getState().hydrate(emptyFilters, null);
    useViewStore.getState().hydrate('memories', null);
  });

  it('restores view, filters, sort and open memory from a bookmarked URL', () => {
    hydrateFromSearch(
      '?view=memories&type=fact&kw=Paris&q=paris&sort=-time&memory=run-1:0:3',
      'import',
    );
    expect(useViewStore.getState()).toMatchObject({ view: 'memories', openMemoryId: 'run-1:0:3' });
    expect(useFilterStore.getState().filters).toMatchObject({
      types: ['fact'],
      keywords: ['Paris'],
      text: 'paris',
    });
    expect(useFilterStore.getState().sort).toEqual({ column: 'time', desc: true });
    expect(currentSearch()).toBe(
      '?view=memories&type=fact&kw=Paris&q=paris&sort=-time&memory=run-1%3A0%3A3',
    );
  });

  it('falls back to the given view and keeps filters out of other views’ URLs', () => {
    hydrateFromSearch('?view=nonsense&type=fact', 'import');
    expect(useViewStore.getState().view).toBe('import');
    expect(currentSearch()).toBe('?view=import');
  });

  it('marks typing in the search as one history step, then replacements', () => {
    const store = useFilterStore.getState();
    store.setText('p');
    expect(useFilterStore.getState().historyMode).toBe('push');
    store.setText('pa');
    expect(useFilterStore.getState().historyMode).toBe('replace');
    store.toggleType('episodic');
    expect(useFilterStore.getState().historyMode).toBe('push');
    store.toggleKeyword('Paris');
    store.toggleKeyword('paris');
    expect(useFilterStore.getState().filters.keywords).toEqual([]);
  });
});
