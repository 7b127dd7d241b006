import { plural } from '../common/format';

/**
 * An import's warnings (skipped conversations, assumed speakers, dropped lines …) behind one line
 * the user can open: "12 warnings". Each warning names its conversation or line.
 */
export function WarningsList({ warnings, label }: { warnings: readonly string[]; label?: string }) {
  if (warnings.length === 0) return null;
  return (
    <details className="notice warning import-warnings" data-testid="import-warnings">
      <summary>
        {plural(warnings.length, 'warning')}
        {label ? ` ${label}` : ''}
      </summary>
      <ul>
        {warnings.map((warning, index) => (
          // The same text can repeat (two conversations skipped for the same reason).
          <li key={index}>{warning}</li>
        ))}
      </ul>
    </details>
  );
}
