import { memo, useState } from 'react';

import { appServices } from '../../store/boot/appServices';
import { errorText } from '../../core/errorText';
import { plural } from '../common/format';
import { ExportMenu } from './ExportMenu';

interface SelectionBarProps {
  selected: ReadonlySet<string>;
  onClear: () => void;
}

/** Bulk actions on the checked memories: export them, delete them. */
export const SelectionBar = memo(function SelectionBar({ selected, onClear }: SelectionBarProps) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (selected.size === 0) return null;

  const remove = () => {
    setError(null);
    appServices()
      .memories.remove([...selected])
      .then(() => {
        setConfirming(false);
        onClear();
      })
      .catch((caught: unknown) => setError(errorText(caught)));
  };

  return (
    <div className="selection-bar" role="region" aria-label="Selected memories">
      <strong>{plural(selected.size, 'memory', 'memories')} selected</strong>
      <ExportMenu label="Export selected" selection={() => ({ kind: 'ids', ids: [...selected] })} />
      {confirming ? (
        <>
          <button type="button" className="button small danger" onClick={remove}>
            Delete {plural(selected.size, 'memory', 'memories')} for good
          </button>
          <button type="button" className="button small ghost" onClick={() => setConfirming(false)}>
            Keep them
          </button>
        </>
      ) : (
        <button type="button" className="button small danger" onClick={() => setConfirming(true)}>
          Delete selected
        </button>
      )}
      <span className="spacer" />
      <button type="button" className="button small ghost" onClick={onClear}>
        Clear selection
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </div>
  );
});
