import { useStorageStore } from '../../store/db/storageStore';

/** Storage problems (quota, a blocked upgrade, a newer tab) said plainly, above everything. */
export function StorageBanner() {
  const problem = useStorageStore((state) => state.problem);
  const clear = useStorageStore((state) => state.clearProblem);
  if (!problem) return null;
  return (
    <div role="alert" className="notice error row" style={{ margin: '8px 16px' }}>
      <div className="spacer">
        <p className="notice-title">Storage problem</p>
        <p style={{ margin: 0 }}>{problem.message}</p>
      </div>
      <button type="button" className="button small" onClick={clear}>
        Dismiss
      </button>
    </div>
  );
}
