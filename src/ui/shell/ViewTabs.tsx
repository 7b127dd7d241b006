import type { MouseEvent } from 'react';

import { useConsolidationStore } from '../../store/consolidation/consolidationStore';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import { isInterrupted, useRunsStore } from '../../store/runs/runsStore';
import type { View } from '../../store/view/viewStore';
import { useViewStore, views } from '../../store/view/viewStore';
import { formatCount } from '../common/format';
import { viewLabels } from '../common/labels';
import './viewTabs.css';

/** Real links (`?view=…`), so a view can be opened in a new tab; a plain click stays in the app. */
export function ViewTabs() {
  const view = useViewStore((state) => state.view);
  const setView = useViewStore((state) => state.setView);
  const memoryCount = useMemoriesStore((state) => state.memories.length);
  const reviewCount = useConsolidationStore((state) => state.pairs.length);
  // A run left "running" by a closed tab is interrupted, not running: the banner offers it.
  const running = useRunsStore(
    (state) =>
      state.runs.filter((run) => run.status === 'running' && !isInterrupted(run, state.owners))
        .length,
  );

  const onClick = (event: MouseEvent<HTMLAnchorElement>, target: View) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    setView(target);
  };

  return (
    <nav aria-label="Views">
      <ul className="view-tabs">
        {views.map((target) => (
          <li key={target}>
            <a
              className="view-tab"
              href={`?view=${target}`}
              aria-current={view === target ? 'page' : undefined}
              onClick={(event) => onClick(event, target)}
            >
              {viewLabels[target]}
              {target === 'memories' && memoryCount > 0 && (
                <span className="count-badge" aria-label={`${memoryCount} memories`}>
                  {formatCount(memoryCount)}
                </span>
              )}
              {target === 'tidy' && reviewCount > 0 && (
                <span className="count-badge" aria-label={`${reviewCount} to review`}>
                  {formatCount(reviewCount)}
                </span>
              )}
              {target === 'runs' && running > 0 && (
                <span className="count-badge" aria-label={`${running} running`}>
                  {running}
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
