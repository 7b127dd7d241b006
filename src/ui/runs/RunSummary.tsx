import type { RunRecord } from '../../store/db/records';
import { formatCount, formatDateTime, formatDuration, plural } from '../common/format';
import { timeWarningLabel } from './runLabels';
import '../common/timeWarnings.css';

/** One line under a run's bar: windows done, memories, warnings, model, start and GPU time. */
export function RunSummary({
  run,
  done,
  warningCount,
  showWindows,
  onToggleWindows,
}: {
  run: RunRecord;
  done: number;
  warningCount: number;
  showWindows: boolean;
  onToggleWindows: () => void;
}) {
  return (
    <div className="row muted run-summary">
      <span>
        {formatCount(done)} of {plural(run.windowCount, 'window')} done
      </span>
      <span>· {plural(run.totals.memoryCount, 'memory', 'memories')}</span>
      {warningCount > 0 && (
        <span className="time-warning" data-testid="run-time-warnings">
          · {timeWarningLabel(warningCount)}
        </span>
      )}
      <span>· {run.modelId}</span>
      <span>· started {formatDateTime(run.startedAt ?? run.createdAt)}</span>
      {run.totals.engineSeconds > 0 && (
        <span>
          · {formatDuration(run.totals.engineSeconds)} on the GPU
          {run.totals.completionTokens > 0 &&
            `, ${(run.totals.completionTokens / run.totals.engineSeconds).toFixed(1)} tok/s`}
        </span>
      )}
      <span className="spacer" />
      <button
        type="button"
        className="button ghost small"
        aria-expanded={showWindows}
        onClick={onToggleWindows}
      >
        {showWindows ? 'Hide windows' : 'Show windows'}
      </button>
    </div>
  );
}
