import { formatCount, formatDuration } from '../common/format';
import type { PlanResult } from './useRunPlan';

/** The planned run in numbers: windows, prompt and answer tokens, and the time it should take. */
export function PlanStats({
  current,
  answerTokens,
  answerMeasured,
  seconds,
}: {
  current: PlanResult | null;
  answerTokens: number;
  answerMeasured: boolean;
  seconds: number | null;
}) {
  if (current?.error) {
    return (
      <div className="stats" aria-live="polite">
        <p role="alert" className="field-error">
          {current.error}
        </p>
      </div>
    );
  }
  const plan = current?.plan ?? null;
  return (
    <div className="stats" aria-live="polite">
      <div className="stat">
        <span className="stat-value" data-testid="planned-windows">
          {plan ? formatCount(plan.windows.length) : '…'}
        </span>
        <span className="stat-label">windows</span>
      </div>
      <div className="stat">
        <span className="stat-value">
          {plan?.promptTokens != null ? formatCount(plan.promptTokens) : plan ? 'unknown' : '…'}
        </span>
        <span className="stat-label">prompt tokens</span>
      </div>
      <div className="stat">
        <span className="stat-value">~{formatCount(Math.round(answerTokens))}</span>
        <span className="stat-label">
          answer tokens ({answerMeasured ? 'measured' : 'typical'})
        </span>
      </div>
      <div className="stat">
        <span className="stat-value">{seconds === null ? '—' : `~${formatDuration(seconds)}`}</span>
        <span className="stat-label">
          {seconds === null ? 'time: known after the first window' : 'estimated time'}
        </span>
      </div>
    </div>
  );
}
