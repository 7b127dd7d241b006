import type { WindowRecord } from '../../store/db/records';
import { useRunsStore } from '../../store/runs/runsStore';
import { ProgressBar } from '../common/ProgressBar';
import { plural } from '../common/format';
import { cutLabel, timeWarningLabel } from './runLabels';
import type { TimeWarning } from './timeWarnings';
import '../common/timeWarnings.css';

/** One window of a run: its status, progress while the model writes, cut and time warnings. */
export function WindowItem({
  window,
  titles,
  warnings,
}: {
  window: WindowRecord;
  titles: ReadonlyMap<string, string>;
  warnings: readonly TimeWarning[];
}) {
  const live = useRunsStore((state) =>
    state.live?.runId === window.runId && state.live.windowIndex === window.index
      ? state.live
      : null,
  );
  const finished =
    window.status === 'done' || window.status === 'failed' || window.status === 'incomplete';
  // While the model writes, the bar follows the answer's length against its token limit (~4 characters a token).
  const value = finished ? 1 : live ? Math.min(0.95, live.answerChars / (window.maxTokens * 4)) : 0;
  const status = live ? 'running' : window.status;
  return (
    <li className="window-item" data-testid="window-item">
      <div className="row window-head">
        <strong>Window {window.index + 1}</strong>
        <span className={`status-pill ${status}`}>{status}</span>
      </div>
      <ProgressBar value={value} label={`Window ${window.index + 1} progress`} />
      <span className="muted">
        {titles.get(window.conversationId) ?? window.conversationId} ·{' '}
        {plural(window.messageIds.length, 'message')}
        {window.overlap > 0 && ` (${window.overlap} context)`}
        {' · '}
        {live
          ? `${plural(live.memoriesSoFar, 'memory', 'memories')} so far`
          : plural(window.memoryCount, 'memory', 'memories')}
      </span>
      {window.cut && (
        <p className="time-warning" data-testid="window-cut">
          {cutLabel(window.cut)}
        </p>
      )}
      {window.error && <p className="field-error window-error">{window.error}</p>}
      {warnings.length > 0 && (
        <details className="time-warnings" data-testid="window-time-warnings">
          <summary>{timeWarningLabel(warnings.length)}</summary>
          <ul>
            {warnings.map((warning) => (
              <li key={warning.memoryId}>
                <span className="time-warning-content">{warning.content}</span>
                {warning.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}
