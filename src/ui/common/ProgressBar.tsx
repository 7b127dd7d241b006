import './progress.css';

/**
 * A thin bar for work under way. `value` is a fraction from 0 to 1; null while the amount is not
 * known yet (the bar stays empty and tells assistive technology it is indeterminate).
 */
export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  const percent = value === null ? undefined : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return <progress className="progress" aria-label={label} max={100} value={percent} />;
}
