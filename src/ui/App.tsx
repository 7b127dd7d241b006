import { Suspense } from 'react';

// The base first, then shared controls and surfaces, so each part's own rules come after them.
import './styles.css';
import './common/controls.css';
import './common/surfaces.css';

import { useViewStore } from '../store/view/viewStore';
import { viewLabels } from './common/labels';
import { CurrentView } from './CurrentView';
import { ConversationList } from './shell/ConversationList';
import { DropOverlay } from './shell/DropOverlay';
import { InterruptedRunBanner } from './shell/InterruptedRunBanner';
import { ModelStatus } from './shell/ModelStatus';
import { StorageBanner } from './shell/StorageBanner';
import { useBoot } from './shell/useBoot';
import { useGlobalShortcuts } from './shell/useGlobalShortcuts';
import { ViewTabs } from './shell/ViewTabs';

export function App() {
  useBoot();
  useGlobalShortcuts();
  const view = useViewStore((state) => state.view);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <h1 className="app-title">DimMem</h1>
          <p className="app-tagline">
            Private long-term memories from your chats, on your own GPU.
          </p>
        </div>
        <ViewTabs />
        <ModelStatus />
      </header>
      <div className="app-body">
        <ConversationList />
        <main id="main" className="app-main" aria-label={viewLabels[view]} tabIndex={-1}>
          <StorageBanner />
          <InterruptedRunBanner />
          <Suspense fallback={<p className="view muted">Loading…</p>}>
            <CurrentView view={view} />
          </Suspense>
        </main>
      </div>
      <DropOverlay />
    </div>
  );
}
