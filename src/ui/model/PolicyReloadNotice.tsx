import { reloadPage, useEngineStore } from '../../store/engine';

/**
 * Shown when a saved choice needs a host this page's security policy does not list yet (the policy
 * is fixed when the page loads): say which, and offer the reload that allows it.
 */
export function PolicyReloadNotice() {
  const missing = useEngineStore((state) => state.policy.missing);
  if (missing.length === 0) return null;
  return (
    <div className="notice warning row" role="status" data-testid="policy-reload">
      <p className="spacer flush">
        This page may only connect to the addresses chosen when it loaded. Reload it to allow{' '}
        {missing.join(', ')}.
      </p>
      <button type="button" className="button small" onClick={reloadPage}>
        Reload now
      </button>
    </div>
  );
}
