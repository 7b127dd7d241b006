import type { Conversation, Message } from '../../core/conversation';
import { userMessages } from '../../core/conversation';
import type { ExtractedMemory } from '../../core/memory';
import { normalizeMemories, parseAnswer, StreamingAnswerParser } from '../../core/parse';
import { buildPrompt, promptFormatVersion } from '../../core/prompt';
import type { PromptWindow, TokenCounter } from '../../core/windows';
import {
  defaultTokenBudget,
  defaultWindowSettings,
  planWindows,
  planWindowsWithinBudget,
} from '../../core/windows';
import type { ExtractionEngine, ExtractResult } from '../../engine/types';
import { loadConversation } from '../conversations/conversationRepository';
import type { DimmemDb } from '../db/db';
import type { GpuLock } from '../tabs/gpuLock';
import { memoryId, provisionalMemoryId } from '../memories/memoryIds';
import type {
  MemoryRecord,
  RunRecord,
  RunSettings,
  RunStatus,
  WindowCut,
  WindowRecord,
} from '../db/records';
import {
  commitWindow,
  createRun,
  deleteRun,
  getRun,
  getWindows,
  putWindow,
  putWindows,
  setRunStatus,
  updateRun,
} from './runRepository';
import { useRunsStore } from './runsStore';
import type { TabChannel } from '../tabs/tabChannel';
import type { Publish, ServiceDeps } from '../tabs/publish';
import { errorText } from '../../core/errorText';

export const defaultRunSettings: RunSettings = {
  window: defaultWindowSettings,
  budget: defaultTokenBudget,
  promptVariant: 'card',
  promptFormat: promptFormatVersion,
  maxTokens: defaultTokenBudget.answerReserve,
};

export interface RunRequest {
  conversationIds: string[];
  settings?: Partial<RunSettings>;
}

/** One window of a planned run, before anything is stored. */
export interface PlannedWindow {
  conversationId: string;
  windowInConversation: number;
  messageIds: string[];
  overlap: number;
  /** From the tokenizer; null when planned by message count only. */
  promptTokens: number | null;
  maxTokens: number;
  /** The one message of the window cut to fit the context, with the text its prompt holds. */
  cut?: WindowCut;
}

export interface RunPlan {
  /** The settings the run will record (budget null when no tokenizer was available). */
  settings: RunSettings;
  windows: PlannedWindow[];
  /** Sum of the windows' prompt tokens, when known. */
  promptTokens: number | null;
}

export interface RunHandle {
  runId: string;
  /** Settles when this tab stops extracting the run (done, failed, paused or cancelled). */
  finished: Promise<RunRecord>;
}

/** The stored record of a planned window before anything has run. */
export function pendingWindow(runId: string, index: number, planned: PlannedWindow): WindowRecord {
  return {
    runId,
    index,
    ...planned,
    status: 'pending',
    rawAnswer: null,
    finishReason: null,
    usage: null,
    timings: null,
    error: null,
    memoryCount: 0,
    rejected: [],
    attempts: 0,
    startedAt: null,
    finishedAt: null,
  };
}

/** No model is loaded in this tab. */
export class NoEngineError extends Error {
  override name = 'NoEngineError';
  constructor() {
    super('Load a model first: no extraction engine is ready in this tab.');
  }
}

/** Another tab holds the GPU. */
export class GpuBusyError extends Error {
  override name = 'GpuBusyError';
  constructor() {
    super(
      'Another DimMem tab is using the GPU. Its progress shows here; this tab takes over if that tab closes.',
    );
  }
}

export interface RunServiceDeps extends ServiceDeps {
  getEngine: () => ExtractionEngine | null;
  /** Null plans windows by message count only. */
  loadTokenCounter: (() => Promise<TokenCounter>) | null;
  lock: GpuLock;
  publish: Publish;
  /** Where pause and cancel requests for a run another tab extracts go; null: this tab alone. */
  channel: TabChannel | null;
  now: () => number;
  newRunId: () => string;
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

const finishedStatuses = new Set<WindowRecord['status']>(['done', 'failed', 'incomplete']);
/** Live progress (answer length) is published at most this often. */
const LIVE_INTERVAL_MS = 200;

interface ActiveRun {
  controller: AbortController;
  stop: 'pause' | 'cancel' | null;
}

function resolveSettings(partial: Partial<RunSettings> | undefined): RunSettings {
  // Every new run is planned with today's prompt form, whatever settings it was given.
  return { ...defaultRunSettings, ...partial, promptFormat: promptFormatVersion };
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/**
 * A run planned with an earlier prompt form continues in today's form: its finished windows keep
 * their memories, its unfinished ones are sent in the current form, and the run says so, so that
 * two prompt forms are never mixed silently.
 */
function adoptCurrentPromptFormat(run: RunRecord, windows: WindowRecord[]): RunRecord | null {
  const planned = run.settings.promptFormat ?? 1;
  if (planned === promptFormatVersion) return null;
  const unfinished = windows.filter((window) => !finishedStatuses.has(window.status)).length;
  const finished = windows.length - unfinished;
  const notice =
    `Planned with prompt format ${planned}; its ${plural(unfinished, 'unfinished window')} ` +
    `restarted with format ${promptFormatVersion} (the overlap rule with one empty line above and ` +
    `below, as the reference extractor sends it); ${plural(finished, 'finished window')} kept ` +
    `${finished === 1 ? 'its' : 'their'} memories.`;
  return {
    ...run,
    settings: { ...run.settings, promptFormat: promptFormatVersion },
    notices: [...(run.notices ?? []), notice],
  };
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

export function createRunService(deps: RunServiceDeps): RunService {
  const active = new Map<string, ActiveRun>();

  const publishRun = (run: RunRecord) =>
    deps.publish({ type: 'run', run, runningHere: active.has(run.id) });
  const publishWindow = (window: WindowRecord) =>
    deps.publish({ type: 'windows', windows: [window] });

  async function plan(request: RunRequest): Promise<RunPlan> {
    const db = await deps.db();
    const settings = resolveSettings(request.settings);
    const counter = settings.budget && deps.loadTokenCounter ? await deps.loadTokenCounter() : null;
    const recorded: RunSettings = { ...settings, budget: counter ? settings.budget : null };
    const windows: PlannedWindow[] = [];
    for (const conversationId of request.conversationIds) {
      const conversation = await loadConversation(db, conversationId);
      if (!conversation) throw new Error(`Conversation ${conversationId} is not stored.`);
      const messages = userMessages(conversation);
      if (messages.length === 0) continue;
      const planned =
        counter && recorded.budget
          ? planWindowsWithinBudget(
              messages,
              settings.window,
              recorded.budget,
              counter,
              settings.promptVariant,
            )
          : planWindows(messages, settings.window).map((window) => ({
              ...window,
              promptTokens: null,
              maxTokens: settings.maxTokens,
            }));
      for (const window of planned) {
        const cut = 'cut' in window ? window.cut : undefined;
        const cutText =
          cut && window.messages.find((message) => message.id === cut.messageId)?.text;
        windows.push({
          conversationId,
          windowInConversation: window.index,
          messageIds: window.messages.map((message) => message.id),
          overlap: window.overlap,
          promptTokens: window.promptTokens,
          maxTokens: window.maxTokens,
          ...(cut && cutText !== undefined ? { cut: { ...cut, text: cutText } } : {}),
        });
      }
    }
    const known = windows.every((window) => window.promptTokens !== null);
    return {
      settings: recorded,
      windows,
      promptTokens: known
        ? windows.reduce((sum, window) => sum + (window.promptTokens ?? 0), 0)
        : null,
    };
  }

  function requireEngine(): ExtractionEngine {
    const engine = deps.getEngine();
    if (!engine) throw new NoEngineError();
    return engine;
  }

  /**
   * Takes the GPU lock (at once, or after waiting when `signal` is given), runs `prepare` and
   * then extracts the run's unfinished windows while holding it. Resolves with the handle as soon
   * as extraction begins.
   */
  async function launch(
    prepare: () => Promise<string | null>,
    wait?: AbortSignal,
  ): Promise<RunHandle | null> {
    const started = deferred<string | null>();
    const work = async (): Promise<RunRecord | null> => {
      const runId = await prepare();
      started.resolve(runId);
      return runId === null ? null : extractRun(runId);
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

  async function extractRun(runId: string): Promise<RunRecord> {
    const db = await deps.db();
    const engine = requireEngine();
    const control: ActiveRun = { controller: new AbortController(), stop: null };
    active.set(runId, control);
    useRunsStore.getState().setOwner(runId, 'this-tab');
    try {
      const windows = await getWindows(db, runId);
      const stored = await getRun(db, runId);
      if (stored && adoptCurrentPromptFormat(stored, windows)) {
        await updateRun(
          db,
          runId,
          (current) => adoptCurrentPromptFormat(current, windows) ?? current,
        );
      }
      let run = await setRunStatus(db, runId, 'running', deps.now());
      await publishRun(run);
      const conversations = new Map<string, Conversation | null>();
      for (const window of windows) {
        if (control.stop) break;
        if (finishedStatuses.has(window.status)) continue;
        let conversation = conversations.get(window.conversationId);
        if (conversation === undefined) {
          conversation = await loadConversation(db, window.conversationId);
          conversations.set(window.conversationId, conversation);
        }
        await extractWindow(db, run, window, conversation, engine, control);
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
      active.delete(runId);
      run = await setRunStatus(db, runId, status, deps.now());
      await publishRun(run);
      return run;
    } finally {
      active.delete(runId);
      useRunsStore.getState().setOwner(runId, null);
      void deps.publish({ type: 'live', live: null });
    }
  }

  function toRecords(
    memories: readonly ExtractedMemory[],
    run: RunRecord,
    windowIndex: number,
    conversationId: string,
    modelId: string,
    id: (position: number) => string,
  ): MemoryRecord[] {
    const createdAt = deps.now();
    return memories.map((memory, position) => ({
      ...memory,
      id: id(position),
      conversationId,
      runId: run.id,
      windowIndex,
      modelId,
      origin: run.engineKind === 'replay' ? 'recorded' : 'extracted',
      edited: false,
      createdAt,
    }));
  }

  function promptWindowOf(window: WindowRecord, conversation: Conversation | null): PromptWindow {
    if (!conversation) {
      throw new Error('The conversation of this window was deleted; it cannot be extracted.');
    }
    const byId = new Map(conversation.messages.map((message) => [message.id, message]));
    const messages = window.messageIds.map((id) => {
      const message = byId.get(id);
      // A message cut to fit the context goes out as it was cut when the run was planned.
      return message && window.cut?.messageId === id
        ? { ...message, text: window.cut.text }
        : message;
    });
    if (messages.some((message) => message === undefined)) {
      throw new Error('The conversation of this window changed since the run was planned.');
    }
    return {
      index: window.windowInConversation,
      messages: messages as Message[],
      overlap: window.overlap,
    };
  }

  async function extractWindow(
    db: DimmemDb,
    run: RunRecord,
    window: WindowRecord,
    conversation: Conversation | null,
    engine: ExtractionEngine,
    control: ActiveRun,
  ): Promise<void> {
    const modelId = engine.modelId ?? run.modelId;
    const running: WindowRecord = {
      ...window,
      status: 'running',
      error: null,
      startedAt: deps.now(),
      finishedAt: null,
      attempts: window.attempts + 1,
    };
    await putWindow(db, running);
    await publishWindow(running);

    let provisional: MemoryRecord[] = [];
    let lastLive = 0;
    let result: ExtractResult;
    let promptWindow: PromptWindow;
    try {
      promptWindow = promptWindowOf(window, conversation);
      const prompt = buildPrompt(promptWindow, run.settings.promptVariant);
      const parser = new StreamingAnswerParser();
      const onText = (textSoFar: string) => {
        const fresh = parser.push(textSoFar);
        if (fresh.length > 0) {
          const normalized = normalizeMemories(fresh, promptWindow).memories;
          const offset = provisional.length;
          provisional = provisional.concat(
            toRecords(normalized, run, window.index, window.conversationId, modelId, (i) =>
              provisionalMemoryId(run.id, window.index, offset + i),
            ),
          );
          void deps.publish({
            type: 'provisional',
            runId: run.id,
            windowIndex: window.index,
            memories: provisional,
          });
        }
        const now = Date.now();
        if (fresh.length > 0 || now - lastLive >= LIVE_INTERVAL_MS) {
          lastLive = now;
          const live = {
            runId: run.id,
            windowIndex: window.index,
            answerChars: textSoFar.length,
            memoriesSoFar: provisional.length,
          };
          void deps.publish({ type: 'live', live });
        }
      };
      result = await engine.extract(prompt, {
        maxTokens: window.maxTokens,
        signal: control.controller.signal,
        onText,
      });
    } catch (error) {
      await clearProvisional(run.id, window.index);
      const stopped = control.controller.signal.aborted;
      const next: WindowRecord = stopped
        ? { ...running, status: 'pending', startedAt: null }
        : { ...running, status: 'failed', error: errorText(error), finishedAt: deps.now() };
      await putWindow(db, next);
      await publishWindow(next);
      return;
    }
    if (result.finishReason === 'abort' || control.controller.signal.aborted) {
      await clearProvisional(run.id, window.index);
      const next: WindowRecord = { ...running, status: 'pending', startedAt: null };
      await putWindow(db, next);
      await publishWindow(next);
      return;
    }

    const parsed = parseAnswer(result.text);
    const normalized = normalizeMemories(parsed.memories, promptWindow);
    const records = toRecords(
      normalized.memories,
      run,
      window.index,
      window.conversationId,
      modelId,
      (position) => memoryId(run.id, window.index, position),
    );
    const cutOff = result.finishReason === 'length';
    const complete = parsed.complete && !cutOff;
    const committed: WindowRecord = {
      ...running,
      status: complete ? 'done' : 'incomplete',
      rawAnswer: result.text,
      finishReason: result.finishReason,
      usage: result.usage,
      timings: result.timings,
      error: complete
        ? null
        : cutOff
          ? `The answer reached its ${window.maxTokens}-token limit before it ended; its ${records.length} complete memories are kept.`
          : (parsed.error ?? 'The answer ended before its JSON closed.'),
      memoryCount: records.length,
      rejected: [
        ...parsed.rejected,
        ...normalized.dropped.map((dropped) => ({ raw: dropped.memory, reason: dropped.reason })),
      ],
      finishedAt: deps.now(),
    };
    const updatedRun = await commitWindow(db, committed, records);
    await deps.publish({
      type: 'window-committed',
      runId: run.id,
      windowIndex: window.index,
      memories: records,
    });
    await publishWindow(committed);
    await publishRun(updatedRun);
  }

  async function createAndPublish(request: RunRequest, engine: ExtractionEngine): Promise<string> {
    const db = await deps.db();
    const planned = await plan(request);
    const runId = deps.newRunId();
    const now = deps.now();
    const run: RunRecord = {
      id: runId,
      conversationIds: request.conversationIds,
      modelId: engine.modelId ?? 'unknown model',
      engineKind: engine.kind,
      settings: planned.settings,
      status: 'pending',
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      windowCount: planned.windows.length,
      totals: { promptTokens: 0, completionTokens: 0, engineSeconds: 0, memoryCount: 0 },
      error: null,
    };
    const windows = planned.windows.map((window, index) => pendingWindow(runId, index, window));
    await createRun(db, run, windows);
    await deps.publish({ type: 'windows', windows });
    await publishRun(run);
    return runId;
  }

  const clearProvisional = (runId: string, windowIndex: number) =>
    deps.publish({ type: 'provisional', runId, windowIndex, memories: [] });

  async function requireRun(runId: string): Promise<RunRecord> {
    const run = await getRun(await deps.db(), runId);
    if (!run) throw new Error(`Run ${runId} does not exist.`);
    return run;
  }

  const service: RunService = {
    plan,

    async start(request) {
      const engine = requireEngine();
      const handle = await launch(() => createAndPublish(request, engine));
      return handle as RunHandle;
    },

    async resume(runId) {
      requireEngine();
      const handle = await launch(async () => {
        const run = await requireRun(runId);
        if (run.status === 'done' || run.status === 'cancelled') {
          throw new Error(`Run ${runId} is ${run.status}; there is nothing to resume.`);
        }
        return runId;
      });
      return handle as RunHandle;
    },

    async retryFailed(runId, options = {}) {
      requireEngine();
      const handle = await launch(async () => {
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
      return handle as RunHandle;
    },

    async pause(runId) {
      const control = active.get(runId);
      if (control) {
        control.stop = 'pause';
        control.controller.abort();
        return;
      }
      if (useRunsStore.getState().owners[runId] === 'other-tab') {
        deps.channel?.post({ type: 'control', runId, action: 'pause' });
        return;
      }
      // An interrupted run (its tab closed): record that it is paused.
      const run = await requireRun(runId);
      if (run.status === 'running' || run.status === 'pending') {
        await publishRun(await setRunStatus(await deps.db(), runId, 'paused', deps.now()));
      }
    },

    async cancel(runId) {
      const control = active.get(runId);
      if (control) {
        control.stop = 'cancel';
        control.controller.abort();
        return;
      }
      if (useRunsStore.getState().owners[runId] === 'other-tab') {
        deps.channel?.post({ type: 'control', runId, action: 'cancel' });
        return;
      }
      const run = await requireRun(runId);
      if (run.status !== 'done' && run.status !== 'cancelled') {
        await publishRun(await setRunStatus(await deps.db(), runId, 'cancelled', deps.now()));
      }
    },

    async takeOverWhenFree(runId, signal) {
      try {
        const handle = await launch(async () => {
          const run = await getRun(await deps.db(), runId);
          // Still `running` with the lock free: the tab that ran it is gone.
          if (run?.status !== 'running' || !deps.getEngine()) return null;
          return runId;
        }, signal);
        await handle?.finished;
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
    },

    async remove(runId, options) {
      if (active.has(runId)) throw new Error('Cancel the run before deleting it.');
      const memoryIds = await deleteRun(await deps.db(), runId, options);
      await deps.publish({ type: 'run-removed', runId, memoryIds });
    },

    isRunningHere: (runId) => active.has(runId),
  };

  deps.channel?.subscribe((message) => {
    if (message.type !== 'control' || !active.has(message.runId)) return;
    void (message.action === 'pause'
      ? service.pause(message.runId)
      : service.cancel(message.runId));
  });

  return service;
}
