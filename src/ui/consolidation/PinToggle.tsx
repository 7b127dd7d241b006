import { useState } from 'react';

import { errorText } from '../../core/errorText';
import { appServices } from '../../store/boot/appServices';
import type { MemoryRecord } from '../../store/db/records';
import { FieldError } from '../common/FieldError';

/** Pin or unpin a memory: consolidation never changes a pinned memory automatically. */
export function PinToggle({ memory }: { memory: MemoryRecord }) {
  const [error, setError] = useState<string | null>(null);
  const pinned = memory.pinned === true;
  const toggle = () => {
    setError(null);
    appServices()
      .consolidation.setPinned(memory.id, !pinned)
      .catch((caught: unknown) => setError(errorText(caught)));
  };
  return (
    <div className="mt-8" data-testid="pin-toggle">
      <div className="row">
        <button type="button" className="button" onClick={toggle}>
          {pinned ? 'Unpin' : 'Pin'}
        </button>
        <span className="muted">
          {pinned
            ? 'Pinned: never merged or replaced automatically; proposals for it wait for you.'
            : 'Pin it to keep it from ever being merged or replaced automatically.'}
        </span>
      </div>
      <FieldError error={error} />
    </div>
  );
}
