import type { DimmemDb } from '../db/db';
import type { GpuLock } from './gpuLock';
import { useMemoriesStore } from '../memories/memoriesStore';
import type { RunService } from '../runs/runService';
import { useRunsStore } from '../runs/runsStore';
import {
  loadConversationsIntoStore,
  loadMemoriesIntoStore,
  loadRunsIntoStore,
} from '../db/storeLoader';
import type { TabChannel, TabMessage } from './tabChannel';

export interface TabSyncDeps {
  db: () => Promise<DimmemDb>;
  channel: TabChannel;
  runService: RunService;
  lock: GpuLock;
}

/**
 * Mirrors what other DimMem tabs do into this tab's stores, and stands by to take over a run whose
 * tab closes. Returns the function that stops it.
 */
export function startTabSync(deps: TabSyncDeps): () => void {
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

  const handle = (message: TabMessage) => {
    const runs = useRunsStore.getState();
    const memories = useMemoriesStore.getState();
    switch (message.type) {
      case 'run':
        runs.upsertRun(message.run);
        if (message.runningHere && message.run.status === 'running') follow(message.run.id);
        else unfollow(message.run.id);
        break;
      case 'run-removed':
        unfollow(message.runId);
        runs.removeRun(message.runId);
        break;
      case 'windows':
        runs.upsertWindows(message.windows);
        break;
      case 'window-committed':
        memories.commitWindow(message.runId, message.windowIndex, message.memories);
        break;
      case 'provisional':
        memories.setProvisional(message.runId, message.windowIndex, message.memories);
        break;
      case 'live':
        runs.setLive(message.live);
        break;
      case 'memories-upserted':
        memories.upsertMany(message.memories);
        break;
      case 'memories-removed':
        memories.removeMany(message.ids);
        break;
      case 'reload':
        void deps
          .db()
          .then((db) =>
            message.what === 'conversations'
              ? loadConversationsIntoStore(db)
              : message.what === 'memories'
                ? loadMemoriesIntoStore(db)
                : loadRunsIntoStore(db),
          );
        break;
      case 'control':
        // The run service of the tab that runs it answers.
        break;
    }
  };

  const unsubscribe = deps.channel.subscribe(handle);

  // Runs marked running when this tab opened: another tab runs them if it holds the GPU lock,
  // otherwise they were interrupted and wait for the user to resume them.
  void deps.lock.isHeldElsewhere().then((heldElsewhere) => {
    if (!heldElsewhere) return;
    for (const run of useRunsStore.getState().runs) {
      if (run.status === 'running' && !deps.runService.isRunningHere(run.id)) follow(run.id);
    }
  });

  return () => {
    unsubscribe();
    for (const controller of following.values()) controller.abort();
    following.clear();
  };
}
