import { useId, useState } from 'react';

import type { ExportFormat, MemorySelection } from '../../store/exchange/memoryExport';
import { appServices } from '../../store/boot/appServices';
import { downloadFile } from '../common/download';
import { errorText } from '../../core/errorText';

/** What the menu offers: each format, and JSONL with consolidation's earlier versions too. */
type ExportChoice = ExportFormat | 'jsonl-history';

const choiceNames: Record<ExportChoice, string> = {
  csv: 'CSV',
  jsonl: 'JSONL',
  'jsonl-history': 'JSONL with earlier versions',
  markdown: 'Markdown',
  json: 'JSON (re-importable)',
};

interface ExportMenuProps {
  label: string;
  selection: () => MemorySelection;
  disabled?: boolean;
}

/** A format choice and a button that downloads the chosen memories in it. */
export function ExportMenu({ label, selection, disabled = false }: ExportMenuProps) {
  const [choice, setChoice] = useState<ExportChoice>('csv');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const run = () => {
    setBusy(true);
    setError(null);
    appServices()
      .exports.exportMemories(choice === 'jsonl-history' ? 'jsonl' : choice, selection(), {
        includeHistory: choice === 'jsonl-history',
      })
      .then(downloadFile)
      .catch((caught: unknown) => setError(errorText(caught)))
      .finally(() => setBusy(false));
  };

  return (
    <span className="row export-menu">
      <label htmlFor={id} className="visually-hidden">
        Export format
      </label>
      <select
        id={id}
        className="select small"
        value={choice}
        onChange={(event) => setChoice(event.target.value as ExportChoice)}
      >
        {(Object.keys(choiceNames) as ExportChoice[]).map((value) => (
          <option key={value} value={value}>
            {choiceNames[value]}
          </option>
        ))}
      </select>
      <button type="button" className="button small" onClick={run} disabled={disabled || busy}>
        {busy ? 'Exporting…' : label}
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </span>
  );
}
