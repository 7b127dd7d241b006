import type { ReactNode } from 'react';

/** An advised failure as the engine layer describes it: what to do, a code, and what happened. */
interface Failure {
  code: string;
  advice: string;
  detail?: string;
}

interface FailureNoticeProps {
  failure: Failure;
  testId: string;
  /** Open the details at once (when they matter more than the advice). */
  detailsOpen?: boolean;
  /** Hide the details (when the action below says it all). */
  hideDetails?: boolean;
  /** Actions or hints under the details. */
  children?: ReactNode;
}

/** An alert with the failure's advice, its details folded away, and what can be done. */
export function FailureNotice({
  failure,
  testId,
  detailsOpen = false,
  hideDetails = false,
  children,
}: FailureNoticeProps) {
  return (
    <div className="notice error" role="alert" data-testid={testId} data-code={failure.code}>
      <p className="notice-title">{failure.advice}</p>
      {failure.detail && !hideDetails && (
        <details open={detailsOpen}>
          <summary>Details</summary>
          <code>{failure.detail}</code>
        </details>
      )}
      {children}
    </div>
  );
}
