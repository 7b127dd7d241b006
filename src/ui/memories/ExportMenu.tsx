import { useId, useState } from 'react';

import type { ExportFormat, MemorySelection } from '../../store/exchange/memoryExport';
import { appServices } from '../../store/boot/appServices';
import { downloadFile } from '../common/download';
import { errorText } from '../../core/errorText';

const formatNames: Record<ExportFormat, string> = {
  csv: 'CSV',
  jsonl: 'JSONL',
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
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const run = () => {
    setBusy(true);
    setError(null);
    appServices()
      .exports.exportMemories(format, selection())
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
        value={format}
        onChange={(event) => setFormat(event.target.value as ExportFormat)}
      >
        {(Object.keys(formatNames) as ExportFormat[]).map((value) => (
          <option key={value} value={value}>
            {formatNames[value]}
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
