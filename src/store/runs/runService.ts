import type { TokenCounter } from '../../core/windows';
import type { ExtractionEngine } from '../../engine/types';
import type { RunRecord, RunStatus, WindowRecord } from '../db/records';
import type { GpuLock } from '../tabs/gpuLock';
import type { ServiceDeps } from '../tabs/publish';
import type { TabChannel } from '../tabs/tabChannel';
import { NoEngineError } from './runErrors';
import type { ActiveRun, RunHandle } from './runLoop';
import { launchRun } from './runLoop';
import type { RunPlan, RunRequest } from './runPlan';
import { pendingWindow, planRun } from './runPlan';
import {
  createRun,
  deleteRun,
  getRun,
  getWindows,
  putWindows,
  setRunStatus,
} from './runRepository';
import { useRunsStore } from './runsStore';

export interface RunServiceDeps extends ServiceDeps {
  getEngine: () => ExtractionEngine | null;
  /** Null plans windows by message count only. */
  loadTokenCounter: (() => Promise<TokenCounter>) | null;
  lock: GpuLock;
  /** Where pause and cancel requests for a run another tab extracts go; null: this tab alone. */
  channel: TabChannel | null;
  now: () => number;
  newRunId: () => string;
  /** Told when a run this tab extracted stops (done, paused, cancelled or failed). */
  onRunEnded?: (run: RunRecord) => void;
}

export interface RunService {
  /** Plans a run's windows without storing anything (for the preview: windows, tokens). */
  plan(request: RunRequest): Promise<RunPlan>;
  /** Stores a new run and starts extracting it in this tab. */
  start(request: RunRequest): Promise<RunHandle>;
  /** Continues a paused or interrupted run from its first unfinished window. */
  resume(runId: string): Promise<RunHandle>;
  /** Runs a run's failed windows again (and its incomplete ones with `includeIncomplete`). */
  retryFailed(runId: string, options?: { includeIncomplete?: boolean }): Promise<RunHandle>;
  /** Stops after aborting the current window (which stays pending); resume continues there. */
  pause(runId: string): Promise<void>;
  /** Stops for good; memories of finished windows are kept. */
  cancel(runId: string): Promise<void>;
  /**
   * Follows a run another tab is extracting: when that tab lets go of the GPU (it closed or
   * crashed mid-run), this tab resumes it. Resolves when the wait ends (aborted, or taken over).
   */
  takeOverWhenFree(runId: string, signal: AbortSignal): Promise<void>;
  remove(runId: string, options: { withMemories: boolean }): Promise<void>;
  isRunningHere(runId: string): boolean;
}

type StopKind = NonNullable<ActiveRun['stop']>;

/** How each way of stopping ends a run no tab is extracting, and the statuses it applies to. */
const stopping = {
  pause: { status: 'paused', from: new Set<RunStatus>(['running', 'pending']) },
  cancel: {
    status: 'cancelled',
    from: new Set<RunStatus>(['pending', 'running', 'paused', 'failed']),
  },
} as const satisfies Record<StopKind, { status: RunStatus; from: Set<RunStatus> }>;

/**
 * Run control: starts, resumes, retries, pauses and cancels runs, in this tab or (pause and
 * cancel) through the tab that extracts them. Planning is in `runPlan.ts`, the lock and window
 * loop in `runLoop.ts`, one window's extraction in `windowExtraction.ts`.
 */
export function createRunService(deps: RunServiceDeps): RunService {
  const active = new Map<string, ActiveRun>();
  const loop = { ...deps, active };

  const requireEngine = (): ExtractionEngine => {
    const engine = deps.getEngine();
    if (!engine) throw new NoEngineError();
    return engine;
  };
  const launch = async (prepare: () => Promise<string | null>) => {
    const handle = (await launchRun(loop, requireEngine, prepare)) as RunHandle;
    handle?.finished.then(
      (run) => deps.onRunEnded?.(run),
      () => undefined,
    );
    return handle;
  };

  async function requireRun(runId: string): Promise<RunRecord> {
    const run = await getRun(await deps.db(), runId);
    if (!run) throw new Error(`Run ${runId} does not exist.`);
    return run;
  }

  async function plan(request: RunRequest): Promise<RunPlan> {
    return planRun(await deps.db(), request, deps.loadTokenCounter);
  }

  async function create(request: RunRequest, engine: ExtractionEngine): Promise<string> {
    const planned = await plan(request);
    const runId = deps.newRunId();
    const run: RunRecord = {
      id: runId,
      conversationIds: request.conversationIds,
      modelId: engine.modelId ?? 'unknown model',
      engineKind: engine.kind,
      settings: planned.settings,
      status: 'pending',
      createdAt: deps.now(),
      startedAt: null,
      finishedAt: null,
      windowCount: planned.windows.length,
      totals: { promptTokens: 0, completionTokens: 0, engineSeconds: 0, memoryCount: 0 },
      error: null,
    };
    const windows = planned.windows.map((window, index) => pendingWindow(runId, index, window));
    await createRun(await deps.db(), run, windows);
    await deps.publish({ type: 'windows', windows });
    await deps.publish({ type: 'run', run, runningHere: false });
    return runId;
  }

  /** Pause and cancel: the same steps, ending in a different status. */
  async function stop(runId: string, how: StopKind): Promise<void> {
    const control = active.get(runId);
    if (control) {
      control.stop = how;
      control.controller.abort();
      return;
    }
    if (useRunsStore.getState().owners[runId] === 'other-tab') {
      deps.channel?.post({ type: 'control', runId, action: how });
      return;
    }
    // An interrupted run (its tab closed): record that it stopped.
    const run = await requireRun(runId);
    if (!stopping[how].from.has(run.status)) return;
    const stopped = await setRunStatus(await deps.db(), runId, stopping[how].status, deps.now());
    await deps.publish({ type: 'run', run: stopped, runningHere: false });
  }

  const service: RunService = {
    plan,

    async start(request) {
      const engine = requireEngine();
      return launch(() => create(request, engine));
    },

    async resume(runId) {
      requireEngine();
      return launch(async () => {
        const run = await requireRun(runId);
        if (run.status === 'done' || run.status === 'cancelled') {
          throw new Error(`Run ${runId} is ${run.status}; there is nothing to resume.`);
        }
        return runId;
      });
    },

    async retryFailed(runId, options = {}) {
      requireEngine();
      return launch(async () => {
        const db = await deps.db();
        await requireRun(runId);
        const retry = (await getWindows(db, runId))
          .filter(
            (window) =>
              window.status === 'failed' ||
              (options.includeIncomplete === true && window.status === 'incomplete'),
          )
          .map((window): WindowRecord => ({ ...window, status: 'pending', error: null }));
        await putWindows(db, retry);
        await deps.publish({ type: 'windows', windows: retry });
        return runId;
      });
    },

    pause: (runId) => stop(runId, 'pause'),
    cancel: (runId) => stop(runId, 'cancel'),

    async takeOverWhenFree(runId, signal) {
      try {
        const handle = await launchRun(
          loop,
          requireEngine,
          async () => {
            const run = await getRun(await deps.db(), runId);
            // Still `running` with the lock free: the tab that ran it is gone.
            if (run?.status !== 'running' || !deps.getEngine()) return null;
            return runId;
          },
          signal,
        );
        await handle?.finished;
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
    },

    async remove(runId, options) {
      if (active.has(runId)) throw new Error('Cancel the run before deleting it.');
      const { memoryIds, relinked } = await deleteRun(await deps.db(), runId, options);
      await deps.publish({ type: 'run-removed', runId, memoryIds, relinked });
    },

    isRunningHere: (runId) => active.has(runId),
  };

  // The tab that extracts a run answers pause and cancel pressed in the others.
  deps.channel?.subscribe((message) => {
    if (message.type !== 'control' || !active.has(message.runId)) return;
    void stop(message.runId, message.action);
  });

  return service;
}
