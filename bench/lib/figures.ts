/** One measured figure of the benchmark, with the goal it is held to (if any). */

export type Part =
  | 'core'
  | 'parsing'
  | 'archive'
  | 'store'
  | 'page'
  | 'table'
  | 'largeInputs'
  | 'convert'
  | 'search'
  | 'importLarge'
  | 'consolidate';

export type Unit = 'ms' | 's' | '%' | '×' | 'KB' | 'MB' | 'count';

export interface Goal {
  /** The figure passes when it is below this value (same unit as the figure). */
  below: number;
  /** `issue`: the goal the issue sets; `bench`: a goal the benchmark sets where the issue gives none. */
  setBy: 'issue' | 'bench';
}

export interface Figure {
  part: Part;
  /** Stable key for results.json, e.g. `core.windowShareOfModel`. */
  id: string;
  label: string;
  value: number;
  unit: Unit;
  goal?: Goal;
  /** How the value was obtained, in a few words (baseline, sample count…). */
  detail?: string;
}

export type Verdict = 'pass' | 'miss' | 'info';

export function verdict(figure: Figure): Verdict {
  if (!figure.goal) return 'info';
  return figure.value < figure.goal.below ? 'pass' : 'miss';
}

/**
 * Numbers with enough digits to be read, never in exponent notation. Goals are round numbers and
 * are written without trailing zeros (`exact`).
 */
export function formatValue(value: number, unit: Unit, exact = false): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 5;
  const number = value.toLocaleString('en-US', {
    minimumFractionDigits: unit === 'count' || exact ? 0 : digits,
    maximumFractionDigits: unit === 'count' ? 0 : exact ? 6 : digits,
  });
  if (unit === 'count') return number;
  return unit === '%' || unit === '×'
    ? `${number}${unit === '×' ? '×' : ' %'}`
    : `${number} ${unit}`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A plain-text table: part, figure, value, goal, verdict. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => [
    figure.part,
    figure.label,
    formatValue(figure.value, figure.unit),
    figure.goal
      ? `< ${formatValue(figure.goal.below, figure.unit, true)}${figure.goal.setBy === 'bench' ? ' *' : ''}`
      : '—',
    verdict(figure),
  ]);
  const header = ['part', 'figure', 'value', 'goal', 'result'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column]!, column === 2 || column === 3))
      .join('  ');
  return [
    line(header),
    widths.map((width) => '─'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
}
