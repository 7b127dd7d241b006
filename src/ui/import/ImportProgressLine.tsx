import { formatBytes, formatSecondsLeft } from '../../store/engine';
import type { ImportProgress } from '../../store/import/importWorkerClient';
import { ProgressBar } from '../common/ProgressBar';
import { formatCount, plural } from '../common/format';

function progressText(progress: ImportProgress | null, reading: boolean): string {
  if (!progress) return reading ? 'Starting…' : 'Starting to save…';
  const left = formatSecondsLeft(progress.secondsLeft ?? undefined);
  const done =
    progress.phase === 'reading'
      ? `${formatBytes(progress.done)} of ${formatBytes(progress.total)} · ` +
        `${plural(progress.conversations, 'conversation')}`
      : `${formatCount(progress.done)} of ${plural(progress.total, 'conversation')} saved`;
  return left ? `${done} · ${left}` : done;
}

/** A large file being read or saved by the import worker: a bar, what is done, and Cancel. */
export function ImportProgressLine({
  name,
  phase,
  progress,
  onCancel,
}: {
  name: string;
  phase: 'reading' | 'saving';
  progress: ImportProgress | null;
  onCancel: () => void;
}) {
  const fraction = progress && progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const label = phase === 'reading' ? `Reading ${name}` : `Saving ${name}`;
  return (
    <div className="import-progress" aria-live="polite" data-testid="import-progress">
      <ProgressBar value={fraction} label={label} />
      <div className="row">
        <span className="muted spacer" data-testid="import-progress-line">
          {phase === 'reading' ? 'Reading' : 'Saving'}:{' '}
          {progressText(progress, phase === 'reading')}
        </span>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
