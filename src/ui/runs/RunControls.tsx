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
  const controls = [
    { label: 'Pause', tone: '', shown: owner === 'this-tab', action: () => service.pause(run.id) },
    {
      label: 'Cancel',
      tone: ' danger',
      shown: owner === 'this-tab',
      action: () => service.cancel(run.id),
    },
    {
      label: 'Resume',
      tone: ' primary',
      shown: run.status === 'paused' || interrupted,
      action: () => service.resume(run.id),
    },
    {
      label: 'Retry failed windows',
      tone: '',
      shown: owner === undefined && hasFailed && run.status !== 'running',
      action: () => service.retryFailed(run.id, { includeIncomplete: true }),
    },
  ];
  return (
    <>
      {controls
        .filter((control) => control.shown)
        .map(({ label, tone, action }) => (
          <button
            key={label}
            type="button"
            className={`button small${tone}`}
            disabled={busy}
            onClick={() => act(action)}
          >
            {label}
          </button>
        ))}
    </>
  );
}
