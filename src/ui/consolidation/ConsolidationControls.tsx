import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { errorText } from '../../core/errorText';
import { appServices } from '../../store/boot/appServices';
import { useConsolidationStore } from '../../store/consolidation/consolidationStore';
import { CheckboxRow } from '../common/CheckboxRow';
import { FieldError } from '../common/FieldError';
import { ProgressBar } from '../common/ProgressBar';
import { plural } from '../common/format';
import { isUnavailable } from '../../store/ask/answerModel';
import { DecidingModelLine } from './DecidingModelLine';
import { useDecidingModel } from './useDecidingModel';
import { progressText } from './consolidationText';
import { useNow } from './useNow';

/**
 * Find duplicates, have the model decide the undecided pairs (with progress, time left and Stop),
 * which model decides or why none can, and the setting for automatic merges of exact duplicates.
 */
export function ConsolidationControls() {
  const choice = useDecidingModel();
  const { phase, progress, undecided, method, autoMergeExact, error } = useConsolidationStore(
    useShallow((state) => ({
      phase: state.phase,
      progress: state.progress,
      undecided: state.counts.undecided,
      method: state.method,
      autoMergeExact: state.autoMergeExact,
      error: state.error,
    })),
  );
  const [failed, setFailed] = useState<string | null>(null);
  const service = () => appServices().consolidation;
  const run = (work: () => Promise<void>) => {
    setFailed(null);
    // Detection and decisions report failures in the store, not by throwing.
    work().then(
      () => setFailed(useConsolidationStore.getState().error),
      (caught: unknown) => setFailed(errorText(caught)),
    );
  };
  const busy = phase === 'detecting' || phase === 'deciding' || phase === 'waiting-for-gpu';
  const now = useNow(busy);
  const deciding = phase === 'deciding' || phase === 'waiting-for-gpu';
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : null;
  const findRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);

  const wasBusy = useRef(false);

  // Stop (or the end of the work) removes the focused button: focus goes back to the actions.
  useEffect(() => {
    const ended = wasBusy.current && !busy;
    wasBusy.current = busy;
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (!ended || !lost) return;
    (askRef.current?.disabled === false ? askRef.current : findRef.current)?.focus();
  }, [busy]);

  return (
    <div className="consolidation-controls" data-testid="consolidation-controls">
      <div className="row">
        <button
          type="button"
          className="button primary"
          ref={findRef}
          disabled={busy}
          onClick={() => run(() => service().detect())}
        >
          Find duplicates
        </button>
        <button
          type="button"
          className="button"
          ref={askRef}
          disabled={busy || undecided === 0 || isUnavailable(choice)}
          onClick={() => run(() => service().decide())}
        >
          Ask the model{undecided > 0 ? ` (${plural(undecided, 'pair')})` : ''}
        </button>
        {deciding && (
          <button type="button" className="button ghost" onClick={() => service().stop()}>
            Stop
          </button>
        )}
      </div>
      {busy && (
        <div aria-live="polite" data-testid="consolidation-progress">
          <ProgressBar
            value={phase === 'deciding' ? fraction : null}
            label={phase === 'detecting' ? 'Finding duplicates' : 'Deciding pairs'}
          />
          <p className="muted flush">{progressText(phase, progress, now)}</p>
        </div>
      )}
      <DecidingModelLine choice={choice} />
      {method === 'lexical' && (
        <p className="muted consolidation-model" data-testid="consolidation-method">
          Similarity was measured by shared words: the embedding model is not loaded in this browser
          (the Ask box loads it for its meaning route).
        </p>
      )}
      <CheckboxRow
        checked={autoMergeExact}
        onChange={(on) => service().setAutoMergeExact(on)}
        className="mt-8"
      >
        Merge exact duplicates automatically (pinned and edited memories are never changed)
      </CheckboxRow>
      {/* A pair's failure shows at its card; here those of detection (also the one after a run). */}
      <FieldError error={failed ?? (phase === 'error' ? error : null)} />
    </div>
  );
}
