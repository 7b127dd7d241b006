import { lazy } from 'react';

import type { View } from '../store/view/viewStore';

// Each view is its own chunk: the first load carries only the shell.
const ImportView = lazy(() => import('./import/ImportView'));
const RunsView = lazy(() => import('./runs/RunsView'));
const MemoriesView = lazy(() => import('./memories/MemoriesView'));
const ModelView = lazy(() => import('./model/ModelView'));
const TidyView = lazy(() => import('./consolidation/TidyView'));

/** The chosen view, loaded on first use. */
export function CurrentView({ view }: { view: View }) {
  switch (view) {
    case 'import':
      return <ImportView />;
    case 'runs':
      return <RunsView />;
    case 'memories':
      return <MemoriesView />;
    case 'tidy':
      return <TidyView />;
    case 'model':
      return <ModelView />;
  }
}
