import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { defaultTokenBudget } from '../../core/windows';

import { useConversationsStore } from '../../store/conversations/conversationsStore';
import { startReplayDemo, useEngineStore } from '../../store/engine/engineStore';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import type { RunRecord, WindowRecord } from '../../store/db/records';
import type { RunPlan } from '../../store/runs/runService';
import { getRunService } from '../../store/runs/runServiceInstance';
import { isInterrupted, useRunsStore } from '../../store/runs/runsStore';
import { useViewStore } from '../../store/view/viewStore';
import {
  errorText,
  formatCount,
  formatDateRange,
  formatDateTime,
  formatDuration,
  plural,
} from '../format';
import { EmptyState } from '../shell/EmptyState';
import {
  assumedAnswerTokens,
  estimateSeconds,
  measuredFromWindows,
  progressOf,
} from './runEstimate';
import { useRunsDraftStore } from './runsDraftStore';
import type { TimeWarning, WindowTimeWarnings } from './timeWarnings';
import { noTimeWarnings, timeWarningsByRun } from './timeWarnings';

function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
    >
      <span style={{ width: `${percent}%` }} />
    </div>
  );
}

/** How fast the demo replays its recorded answer: as a typical GPU would write it, or quickly. */
const replayPaces = [
  { tokensPerSecond: 25, label: 'realistic (25 tokens/s)' },
  { tokensPerSecond: 400, label: 'fast (400 tokens/s)' },
] as const;

function EngineNotice() {
  const load = useEngineStore((state) => state.load);
  const [error, setError] = useState<string | null>(null);
  const [pace, setPace] = useState<number>(replayPaces[0].tokensPerSecond);
  if (load.state === 'ready' && load.sendsTo) {
    return (
      <p className="notice warning" style={{ margin: '0 0 12px' }} data-testid="runs-endpoint">
        {load.modelId} at {load.sendsTo}: runs send the messages of each window to that server.
      </p>
    );
  }
  if (load.state === 'ready') {
    return (
      <p className="notice success" style={{ margin: '0 0 12px' }}>
        {load.kind === 'replay'
          ? 'Demo mode: recorded answers of DimMem-4B for the example conversation are replayed; memories are labelled “recorded”.'
          : `${load.modelId} is loaded on this computer's GPU.`}
      </p>
    );
  }
  return (
    <div className="notice warning" style={{ margin: '0 0 12px' }}>
      <p className="notice-title">No model is loaded</p>
      <p style={{ margin: '0 0 8px' }}>
        {load.state === 'loading'
          ? 'The model is loading; you can start once it is ready.'
          : 'Load DimMem-4B in the Model view, or try the demo, which replays answers the model recorded for the example conversation.'}
      </p>
      <div className="row">
        <button
          type="button"
          className="button"
          onClick={() => useViewStore.getState().setView('model')}
        >
          Choose a model
        </button>
        <button
          type="button"
          className="button"
          disabled={load.state === 'loading'}
          onClick={() => {
            setError(null);
            startReplayDemo(pace).catch((caught: unknown) => setError(errorText(caught)));
          }}
        >
          Demo with recorded answers
        </button>
        <label className="row" style={{ gap: 6 }}>
          <span className="muted">pace</span>
          <select
            className="select"
            value={pace}
            onChange={(event) => setPace(Number(event.target.value))}
          >
            {replayPaces.map((option) => (
              <option key={option.tokensPerSecond} value={option.tokensPerSecond}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function RunPlanner() {
  const conversations = useConversationsStore((state) => state.conversations);
  const { picked, toggle, choose } = useRunsDraftStore(
    useShallow((state) => ({
      picked: state.conversationIds,
      toggle: state.toggle,
      choose: state.choose,
    })),
  );
  const engineReady = useEngineStore((state) => state.load.state === 'ready');
  const lastSpeed = useEngineStore((state) => state.lastSpeed);
  // Windows must fit the context the model runs with, not the default one.
  const contextSize = useEngineStore((state) => state.sources.contextWindowSize);
  const settings = useMemo(
    () => ({ budget: { ...defaultTokenBudget, contextSize } }),
    [contextSize],
  );
  const windowsByRun = useRunsStore((state) => state.windowsByRun);
  const [plan, setPlan] = useState<{
    key: string;
    plan: RunPlan | null;
    error: string | null;
  } | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);

  const known = useMemo(
    () => picked.filter((id) => conversations.some((conversation) => conversation.id === id)),
    [picked, conversations],
  );
  const key = known.join('\n');
  useEffect(() => {
    if (known.length === 0) return;
    let cancelled = false;
    getRunService()
      .plan({ conversationIds: known, settings })
      .then(
        (result) => !cancelled && setPlan({ key, plan: result, error: null }),
        (error: unknown) => !cancelled && setPlan({ key, plan: null, error: errorText(error) }),
      );
    return () => {
      cancelled = true;
    };
  }, [key, settings]); // eslint-disable-line react-hooks/exhaustive-deps

  const measured = useMemo(
    () => measuredFromWindows(Object.values(windowsByRun).flat()),
    [windowsByRun],
  );
  const current = plan?.key === key && known.length > 0 ? plan : null;
  const windows = current?.plan?.windows.length ?? 0;
  const answerTokens = windows * (measured.answerTokens ?? assumedAnswerTokens);
  const speeds = {
    prefill: lastSpeed?.prefill ?? measured.speeds.prefill,
    decode: lastSpeed?.decode ?? measured.speeds.decode,
  };
  const seconds = estimateSeconds(current?.plan?.promptTokens ?? null, answerTokens, speeds);

  const start = () => {
    setStarting(true);
    setStartError(null);
    getRunService()
      .start({ conversationIds: known, settings })
      .then(() => choose([]))
      .catch((error: unknown) => setStartError(errorText(error)))
      .finally(() => setStarting(false));
  };

  return (
    <section className="card run-planner" aria-labelledby="planner-title">
      <h3 className="run-title" id="planner-title">
        New run
      </h3>
      <p className="muted" style={{ margin: '4px 0 0' }}>
        Pick conversations; each is cut into windows of 15 user messages that the model reads one at
        a time.
      </p>
      <ul className="pick-list" aria-label="Conversations to extract">
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={picked.includes(conversation.id)}
                onChange={() => toggle(conversation.id)}
              />
              <span>
                {conversation.title}{' '}
                <span className="muted">
                  · {plural(conversation.userMessageCount, 'user message')} ·{' '}
                  {formatDateRange(conversation.firstTimestamp, conversation.lastTimestamp)}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          className="button small"
          onClick={() => choose(conversations.map((conversation) => conversation.id))}
        >
          Pick all
        </button>
        <button type="button" className="button small ghost" onClick={() => choose([])}>
          Pick none
        </button>
      </div>
      {known.length > 0 && (
        <div className="stats" aria-live="polite">
          {current?.error ? (
            <p role="alert" className="field-error">
              {current.error}
            </p>
          ) : (
            <>
              <div className="stat">
                <span className="stat-value" data-testid="planned-windows">
                  {current?.plan ? formatCount(windows) : '…'}
                </span>
                <span className="stat-label">windows</span>
              </div>
              <div className="stat">
                <span className="stat-value">
                  {current?.plan?.promptTokens != null
                    ? formatCount(current.plan.promptTokens)
                    : current?.plan
                      ? 'unknown'
                      : '…'}
                </span>
                <span className="stat-label">prompt tokens</span>
              </div>
              <div className="stat">
                <span className="stat-value">~{formatCount(Math.round(answerTokens))}</span>
                <span className="stat-label">
                  answer tokens ({measured.answerTokens === null ? 'typical' : 'measured'})
                </span>
              </div>
              <div className="stat">
                <span className="stat-value">
                  {seconds === null ? '—' : `~${formatDuration(seconds)}`}
                </span>
                <span className="stat-label">
                  {seconds === null ? 'time: known after the first window' : 'estimated time'}
                </span>
              </div>
            </>
          )}
        </div>
      )}
      {current?.plan && <CutNotice windows={current.plan.windows} />}
      <EngineNotice />
      {startError && (
        <p role="alert" className="notice error">
          {startError}
        </p>
      )}
      <button
        type="button"
        className="button primary"
        disabled={!engineReady || known.length === 0 || starting || !current?.plan || windows === 0}
        onClick={start}
      >
        {starting
          ? 'Starting…'
          : `Start extraction${windows > 0 ? ` (${plural(windows, 'window')})` : ''}`}
      </button>
    </section>
  );
}

/** Messages too long for the context, which the plan cut to fit (a documented deviation). */
function CutNotice({ windows }: { windows: readonly { cut?: WindowRecord['cut'] }[] }) {
  const cuts = windows.filter((window) => window.cut).length;
  if (cuts === 0) return null;
  return (
    <p className="notice" data-testid="planned-cuts">
      {plural(cuts, 'message is', 'messages are')} too long for the model's context even after its
      own 8000-character cut: each gets a window of its own and is cut further, keeping its head,
      middle and tail. A larger context window (Model view) keeps more of them.
    </p>
  );
}

const cutLabel = (cut: NonNullable<WindowRecord['cut']>) =>
  `Message cut to fit the context: kept ${formatCount(cut.keptTokens)} of its ${formatCount(cut.contentTokens)} tokens (head, middle and tail)`;

const timeWarningLabel = (count: number) =>
  `${plural(count, 'memory', 'memories')} with a time that is not a date`;

function WindowItem({
  window,
  titles,
  warnings,
}: {
  window: WindowRecord;
  titles: ReadonlyMap<string, string>;
  warnings: readonly TimeWarning[];
}) {
  const live = useRunsStore((state) =>
    state.live?.runId === window.runId && state.live.windowIndex === window.index
      ? state.live
      : null,
  );
  const finished =
    window.status === 'done' || window.status === 'failed' || window.status === 'incomplete';
  // While the model writes, the bar follows the answer's length against its token limit (~4 characters a token).
  const value = finished ? 1 : live ? Math.min(0.95, live.answerChars / (window.maxTokens * 4)) : 0;
  const status = live ? 'running' : window.status;
  return (
    <li className="window-item" data-testid="window-item">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <strong>Window {window.index + 1}</strong>
        <span className={`status-pill ${status}`}>{status}</span>
      </div>
      <ProgressBar value={value} label={`Window ${window.index + 1} progress`} />
      <span className="muted">
        {titles.get(window.conversationId) ?? window.conversationId} ·{' '}
        {plural(window.messageIds.length, 'message')}
        {window.overlap > 0 && ` (${window.overlap} context)`}
        {' · '}
        {live
          ? `${plural(live.memoriesSoFar, 'memory', 'memories')} so far`
          : plural(window.memoryCount, 'memory', 'memories')}
      </span>
      {window.cut && (
        <p className="time-warning" data-testid="window-cut">
          {cutLabel(window.cut)}
        </p>
      )}
      {window.error && (
        <p className="field-error" style={{ margin: '4px 0 0' }}>
          {window.error}
        </p>
      )}
      {warnings.length > 0 && (
        <details className="time-warnings" data-testid="window-time-warnings">
          <summary>{timeWarningLabel(warnings.length)}</summary>
          <ul>
            {warnings.map((warning) => (
              <li key={warning.memoryId}>
                <span className="time-warning-content">{warning.content}</span>
                {warning.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

function RunCard({ run, warnings }: { run: RunRecord; warnings: WindowTimeWarnings }) {
  const windows = useRunsStore((state) => state.windowsByRun[run.id]) ?? [];
  const owners = useRunsStore((state) => state.owners);
  const conversations = useConversationsStore((state) => state.conversations);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showWindows, setShowWindows] = useState(run.status === 'running');
  const titles = useMemo(
    () => new Map(conversations.map((conversation) => [conversation.id, conversation.title])),
    [conversations],
  );
  const service = getRunService();
  const interrupted = isInterrupted(run, owners);
  const runningHere = owners[run.id] === 'this-tab';
  const elsewhere = owners[run.id] === 'other-tab';
  const status = interrupted ? 'interrupted' : run.status;
  const hasFailed = windows.some(
    (window) => window.status === 'failed' || window.status === 'incomplete',
  );
  const progress = progressOf(run, windows);
  const done = windows.filter((window) => window.status === 'done').length;
  let warningCount = 0;
  for (const list of warnings.values()) warningCount += list.length;

  const act = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((caught: unknown) => setError(errorText(caught)))
      .finally(() => setBusy(false));
  };

  const title = run.conversationIds.map((id) => titles.get(id) ?? id).join(', ');
  return (
    <article className="card run-card" aria-label={`Run: ${title}`} data-testid="run-card">
      <div className="run-head">
        <h3 className="run-title">{title || 'Run'}</h3>
        <span className={`status-pill ${status}`} data-testid="run-status">
          {elsewhere ? 'running in another tab' : status}
        </span>
        <span className="spacer" />
        {runningHere && (
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
        {!runningHere && !elsewhere && hasFailed && run.status !== 'running' && (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => act(() => service.retryFailed(run.id, { includeIncomplete: true }))}
          >
            Retry failed windows
          </button>
        )}
      </div>
      <ProgressBar value={progress} label={`Run progress`} />
      <div className="row muted" style={{ fontSize: 12.5 }}>
        <span>
          {formatCount(done)} of {plural(run.windowCount, 'window')} done
        </span>
        <span>· {plural(run.totals.memoryCount, 'memory', 'memories')}</span>
        {warningCount > 0 && (
          <span className="time-warning" data-testid="run-time-warnings">
            · {timeWarningLabel(warningCount)}
          </span>
        )}
        <span>· {run.modelId}</span>
        <span>· started {formatDateTime(run.startedAt ?? run.createdAt)}</span>
        {run.totals.engineSeconds > 0 && (
          <span>
            · {formatDuration(run.totals.engineSeconds)} on the GPU
            {run.totals.completionTokens > 0 &&
              `, ${(run.totals.completionTokens / run.totals.engineSeconds).toFixed(1)} tok/s`}
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="button ghost small"
          aria-expanded={showWindows}
          onClick={() => setShowWindows((open) => !open)}
        >
          {showWindows ? 'Hide windows' : 'Show windows'}
        </button>
      </div>
      {run.error && <p className="field-error">{run.error}</p>}
      {run.notices?.map((notice) => (
        <p key={notice} className="notice" data-testid="run-notice">
          {notice}
        </p>
      ))}
      {error && (
        <p role="alert" className="notice error">
          {error}
        </p>
      )}
      {showWindows && (
        <ul className="window-list">
          {windows.map((window) => (
            <WindowItem
              key={window.index}
              window={window}
              titles={titles}
              warnings={warnings.get(window.index) ?? []}
            />
          ))}
        </ul>
      )}
    </article>
  );
}

/** Plan and start extraction runs; watch, pause, cancel, resume and retry them. */
export default function RunsView() {
  const conversations = useConversationsStore((state) => state.conversations);
  const loaded = useConversationsStore((state) => state.loaded);
  const runs = useRunsStore((state) => state.runs);
  const memories = useMemoriesStore((state) => state.memories);
  const warnings = useMemo(() => timeWarningsByRun(memories), [memories]);

  return (
    <section className="view" aria-labelledby="runs-title">
      <h2 className="view-title" id="runs-title">
        Runs
      </h2>
      <p className="view-lede">
        The model reads your messages on this computer&apos;s GPU and writes memories; they appear
        in the Memories view while it writes.
      </p>
      {loaded && conversations.length === 0 ? (
        <EmptyState
          title="Nothing to extract yet"
          actions={
            <button
              type="button"
              className="button"
              onClick={() => useViewStore.getState().setView('import')}
            >
              Import chats
            </button>
          }
        >
          Import a conversation first.
        </EmptyState>
      ) : (
        <RunPlanner />
      )}
      {runs.length > 0 && <h3 className="section-title">Runs</h3>}
      {runs.map((run) => (
        <RunCard key={run.id} run={run} warnings={warnings.get(run.id) ?? noTimeWarnings} />
      ))}
    </section>
  );
}
