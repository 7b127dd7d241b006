import type { Conversation } from '../../core/conversation';
import type { ExtractionEngine } from '../../engine/types';
import { loadConversation } from '../conversations/conversationRepository';
import type { DimmemDb } from '../db/db';
import type { RunRecord, RunStatus } from '../db/records';
import type { GpuLock } from '../tabs/gpuLock';
import type { Publish } from '../tabs/publish';
import { adoptCurrentPromptFormat, finishedWindowStatuses } from './promptFormatUpgrade';
import { GpuBusyError } from './runErrors';
import { getWindows, setRunStatus, updateRun, withStatus } from './runRepository';
import { useRunsStore } from './runsStore';
import { extractWindow } from './windowExtraction';

/** A run this tab extracts now; `stop` says why its controller was aborted. */
export interface ActiveRun {
  controller: AbortController;
  stop: 'pause' | 'cancel' | null;
}

export interface RunHandle {
  runId: string;
  /** Settles when this tab stops extracting the run (done, failed, paused or cancelled). */
  finished: Promise<RunRecord>;
}

export interface RunLoopDeps {
  db: () => Promise<DimmemDb>;
  publish: Publish;
  lock: GpuLock;
  now: () => number;
  /** The runs this tab extracts, by id (shared with run control). */
  active: Map<string, ActiveRun>;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Takes the GPU lock (at once, or after waiting when `wait` is given), runs `prepare` and then
 * extracts the run's unfinished windows while holding it. Resolves with the handle as soon as
 * extraction begins; null when `prepare` decided there is nothing to run.
 */
export async function launchRun(
  deps: RunLoopDeps,
  engine: () => ExtractionEngine,
  prepare: () => Promise<string | null>,
  wait?: AbortSignal,
): Promise<RunHandle | null> {
  const started = deferred<string | null>();
  const work = async (): Promise<RunRecord | null> => {
    const runId = await prepare();
    started.resolve(runId);
    return runId === null ? null : extractRun(deps, runId, engine());
  };
  const finished: Promise<RunRecord | null> = wait
    ? deps.lock.waitForLock(work, wait)
    : deps.lock.tryWithLock(work).then((attempt) => {
        if (!attempt.acquired) throw new GpuBusyError();
        return attempt.value;
      });
  // The first failure (lock busy, prepare failed) reaches the caller through `started`.
  finished.catch((error: unknown) => started.reject(error));
  const runId = await started.promise;
  if (runId === null) return null;
  const settled = finished.then((run) => {
    if (!run) throw new Error(`Run ${runId} vanished while it ran.`);
    return run;
  });
  // Storage failures are already reported to the storage store; callers need not await this.
  settled.catch(() => undefined);
  return { runId, finished: settled };
}

/** Extracts a run's unfinished windows in order, until done or stopped; records how it ended. */
async function extractRun(
  deps: RunLoopDeps,
  runId: string,
  engine: ExtractionEngine,
): Promise<RunRecord> {
  const db = await deps.db();
  const control: ActiveRun = { controller: new AbortController(), stop: null };
  deps.active.set(runId, control);
  useRunsStore.getState().setOwner(runId, 'this-tab');
  const publishRun = (run: RunRecord) =>
    deps.publish({ type: 'run', run, runningHere: deps.active.has(run.id) });
  try {
    const windows = await getWindows(db, runId);
    let run = await updateRun(db, runId, (stored) =>
      withStatus(adoptCurrentPromptFormat(stored, windows) ?? stored, 'running', deps.now()),
    );
    await publishRun(run);
    const conversations = new Map<string, Conversation | null>();
    for (const window of windows) {
      if (control.stop) break;
      if (finishedWindowStatuses.has(window.status)) continue;
      let conversation = conversations.get(window.conversationId);
      if (conversation === undefined) {
        conversation = await loadConversation(db, window.conversationId);
        conversations.set(window.conversationId, conversation);
      }
      await extractWindow({
        db,
        run,
        window,
        conversation,
        engine,
        signal: control.controller.signal,
        publish: deps.publish,
        now: deps.now,
      });
    }
    const final = await getWindows(db, runId);
    const status: RunStatus =
      control.stop === 'pause'
        ? 'paused'
        : control.stop === 'cancel'
          ? 'cancelled'
          : final.some((window) => window.status === 'failed')
            ? 'failed'
            : 'done';
    deps.active.delete(runId);
    run = await setRunStatus(db, runId, status, deps.now());
    await publishRun(run);
    return run;
  } finally {
    deps.active.delete(runId);
    useRunsStore.getState().setOwner(runId, null);
    void deps.publish({ type: 'live', live: null });
  }
}
