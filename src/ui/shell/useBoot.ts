import { useEffect } from 'react';

import { getDb } from '../../store/connection';
import { loadAllStores } from '../../store/storeLoader';
import { startUrlSync } from '../../store/viewStore';

/** Loads the stores from IndexedDB once and keeps the URL in step with the view and filters. */
export function useBoot(): void {
  useEffect(() => startUrlSync(() => 'memories'), []);
  useEffect(() => {
    // Failures are reported to the storage store by getDb; the banner shows them.
    getDb()
      .then(loadAllStores)
      .catch(() => undefined);
  }, []);
}
