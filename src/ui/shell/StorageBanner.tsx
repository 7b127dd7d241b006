import { useStorageStore } from '../../store/storage/storageStore';
import './banners.css';

/** Storage problems (quota, a blocked upgrade, a newer tab) said plainly, above everything. */
export function StorageBanner() {
  const problem = useStorageStore((state) => state.problem);
  const clear = useStorageStore((state) => state.clearProblem);
  if (!problem) return null;
  return (
    <div role="alert" className="notice error row app-banner">
      <div className="spacer">
        <p className="notice-title">Storage problem</p>
        <p className="flush">{problem.message}</p>
      </div>
      <button type="button" className="button small" onClick={clear}>
        Dismiss
      </button>
    </div>
  );
}
