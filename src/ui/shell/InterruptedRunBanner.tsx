import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { useConversationsStore } from '../../store/conversations/conversationsStore';
import { useEngineStore } from '../../store/engine';
import { appServices } from '../../store/boot/appServices';
import { isInterrupted, useRunsStore } from '../../store/runs/runsStore';
import { useViewStore } from '../../store/view/viewStore';
import { errorText } from '../../core/errorText';
import { formatCount, plural } from '../common/format';
import './banners.css';

/**
 * Offers to resume a run whose tab closed or crashed mid-run, on whatever view the user lands.
 * The Runs view offers it on the run's card, so the banner stays out of it. Dismissing hides it
 * until the next visit.
 */
export function InterruptedRunBanner() {
  const view = useViewStore((state) => state.view);
  const interrupted = useRunsStore(
    useShallow((state) => state.runs.filter((run) => isInterrupted(run, state.owners))),
  );
  const windowsByRun = useRunsStore((state) => state.windowsByRun);
  const conversations = useConversationsStore((state) => state.conversations);
  const engineState = useEngineStore((state) => state.load.state);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Until the runs store knows which runs other tabs extract, theirs would look interrupted.
  const ownersKnown = useRunsStore((state) => state.ownersKnown);

  const shown = interrupted.filter((run) => !dismissed.has(run.id));
  // Runs are newest first: the latest interrupted one is the one offered.
  const run = shown[0];
  const titles = useMemo(
    () =>
      run?.conversationIds
        .map((id) => conversations.find((conversation) => conversation.id === id)?.title ?? id)
        .join(', ') ?? '',
    [run, conversations],
  );
  if (!run || !ownersKnown || view === 'runs') return null;

  const done = (windowsByRun[run.id] ?? []).filter((window) => window.status === 'done').length;
  const resume = () => {
    setBusy(true);
    setError(null);
    appServices()
      .runs.resume(run.id)
      .catch((caught: unknown) => setError(errorText(caught)))
      .finally(() => setBusy(false));
  };
  const showRuns = () => useViewStore.getState().setView('runs');

  return (
    <section
      className="notice warning app-banner"
      aria-label="Interrupted run"
      data-testid="interrupted-run-banner"
    >
      <div className="row">
        <div className="spacer">
          <p className="notice-title">
            A run was interrupted: {formatCount(done)} of {plural(run.windowCount, 'window')} done.
          </p>
          <p className="muted flush">
            {titles}
            {shown.length > 1 && ` · ${plural(shown.length - 1, 'other run')} also wait in Runs`}
          </p>
        </div>
        {engineState === 'ready' ? (
          <button type="button" className="button small primary" disabled={busy} onClick={resume}>
            Resume
          </button>
        ) : engineState === 'loading' ? (
          <button type="button" className="button small" disabled>
            Resume (model loading…)
          </button>
        ) : view === 'model' ? (
          <span className="muted">Load a model or start the demo below, then resume.</span>
        ) : (
          <button
            type="button"
            className="button small"
            onClick={() => useViewStore.getState().setView('model')}
          >
            Load a model or start the demo to resume
          </button>
        )}
        <button type="button" className="button small" onClick={showRuns}>
          Show runs
        </button>
        <button
          type="button"
          className="button small ghost"
          onClick={() => {
            setError(null);
            setDismissed((previous) => new Set([...previous, ...shown.map((item) => item.id)]));
          }}
        >
          Dismiss
        </button>
      </div>
      {error && (
        <p role="alert" className="field-error banner-error">
          {error}
        </p>
      )}
    </section>
  );
}
