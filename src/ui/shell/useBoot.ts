import { useEffect } from 'react';

import { bootApp } from '../../store/boot/bootApp';
import { startUrlSync } from '../../store/view/viewStore';

/** Starts storage (load stores, join other tabs) once and keeps the URL in step with the view. */
export function useBoot(): void {
  useEffect(() => startUrlSync(() => 'memories'), []);
  useEffect(() => {
    // Failures are reported to the storage store (getDb does that); the banner shows them.
    bootApp().catch(() => undefined);
  }, []);
}
