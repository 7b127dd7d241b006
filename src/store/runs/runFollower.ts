import type { GpuLock } from '../tabs/gpuLock';
import type { Change } from '../tabs/changes';
import type { RunService } from './runService';
import { useRunsStore } from './runsStore';

export interface RunFollowerDeps {
  runService: RunService;
  lock: GpuLock;
}

export interface RunFollower {
  /** Sees each change another tab published (after it was applied to the stores). */
  onChange(change: Change): void;
  stop(): void;
}

/**
 * Follows the runs other tabs extract (their owner shows as `other-tab`) and stands by to take
 * over a run whose tab closes. The stores themselves are kept in step by `applyChange`.
 */
export function startRunFollower(deps: RunFollowerDeps): RunFollower {
  /** Runs another tab extracts, with the wait that lets this tab take over. */
  const following = new Map<string, AbortController>();

  const follow = (runId: string) => {
    if (following.has(runId) || deps.runService.isRunningHere(runId)) return;
    const controller = new AbortController();
    following.set(runId, controller);
    useRunsStore.getState().setOwner(runId, 'other-tab');
    void deps.runService
      .takeOverWhenFree(runId, controller.signal)
      .catch(() => undefined)
      .finally(() => {
        if (following.get(runId) === controller) following.delete(runId);
        // If it was not taken over, nobody runs it any more (this tab would own it otherwise).
        if (
          !deps.runService.isRunningHere(runId) &&
          useRunsStore.getState().owners[runId] === 'other-tab'
        ) {
          useRunsStore.getState().setOwner(runId, null);
        }
      });
  };

  const unfollow = (runId: string) => {
    following.get(runId)?.abort();
    following.delete(runId);
    if (useRunsStore.getState().owners[runId] === 'other-tab') {
      useRunsStore.getState().setOwner(runId, null);
    }
  };

  // Runs marked running when this tab opened: another tab runs them if it holds the GPU lock,
  // otherwise they were interrupted and wait for the user to resume them.
  // Until this answer, a run another tab extracts would look interrupted: `ownersKnown` says when
  // the runs store can tell.
  void deps.lock
    .isHeldElsewhere()
    .then((heldElsewhere) => {
      if (!heldElsewhere) return;
      for (const run of useRunsStore.getState().runs) {
        if (run.status === 'running' && !deps.runService.isRunningHere(run.id)) follow(run.id);
      }
    })
    .catch(() => undefined)
    .finally(() => useRunsStore.getState().setOwnersKnown());

  return {
    onChange(change) {
      if (change.type === 'run') {
        if (change.runningHere && change.run.status === 'running') follow(change.run.id);
        else unfollow(change.run.id);
      } else if (change.type === 'run-removed') {
        unfollow(change.runId);
      }
    },
    stop() {
      for (const controller of following.values()) controller.abort();
      following.clear();
    },
  };
}
