import type { RunRecord } from '../../store/db/records';
import { appServices } from '../../store/boot/appServices';
import type { RunOwner } from '../../store/runs/runsStore';

/**
 * The buttons a run offers in its state: pause and cancel while it runs in this tab, resume when
 * paused or interrupted, retry when windows failed and nothing runs it.
 */
export function RunControls({
  run,
  owner,
  interrupted,
  hasFailed,
  busy,
  act,
}: {
  run: RunRecord;
  owner: RunOwner | undefined;
  interrupted: boolean;
  hasFailed: boolean;
  busy: boolean;
  act: (action: () => Promise<unknown>) => void;
}) {
  const service = appServices().runs;
  return (
    <>
      {owner === 'this-tab' && (
        <>
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => act(() => service.pause(run.id))}
          >
            Pause
          </button>
          <button
            type="button"
            className="button small danger"
            disabled={busy}
            onClick={() => act(() => service.cancel(run.id))}
          >
            Cancel
          </button>
        </>
      )}
      {(run.status === 'paused' || interrupted) && (
        <button
          type="button"
          className="button small primary"
          disabled={busy}
          onClick={() => act(() => service.resume(run.id))}
        >
          Resume
        </button>
      )}
      {owner === undefined && hasFailed && run.status !== 'running' && (
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => act(() => service.retryFailed(run.id, { includeIncomplete: true }))}
        >
          Retry failed windows
        </button>
      )}
    </>
  );
}
