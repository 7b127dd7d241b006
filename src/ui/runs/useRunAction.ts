import { useState } from 'react';

import { errorText } from '../../core/errorText';

/** One run control at a time: `busy` while it works, its refusal in `error`. */
export function useRunAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((caught: unknown) => setError(errorText(caught)))
      .finally(() => setBusy(false));
  };
  return { busy, error, act };
}
