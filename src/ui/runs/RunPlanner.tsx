import { useMemo, useState } from 'react';

import { errorText } from '../../core/errorText';
import { defaultTokenBudget } from '../../core/windows';
import { useConversationsStore } from '../../store/conversations/conversationsStore';
import { useEngineStore } from '../../store/engine';
import { appServices } from '../../store/boot/appServices';
import { useRunsStore } from '../../store/runs/runsStore';
import { plural } from '../common/format';
import { ConversationPicks } from './ConversationPicks';
import { CutNotice } from './CutNotice';
import { EngineNotice } from './EngineNotice';
import { PlanStats } from './PlanStats';
import { assumedAnswerTokens, estimateSeconds, measuredFromWindows } from './runEstimate';
import { useRunsDraftStore } from './runsDraftStore';
import { useRunPlan } from './useRunPlan';

/** Pick conversations, see what the run would cost, and start it. */
export function RunPlanner() {
  const conversations = useConversationsStore((state) => state.conversations);
  const picked = useRunsDraftStore((state) => state.conversationIds);
  const engineReady = useEngineStore((state) => state.load.state === 'ready');
  const lastSpeed = useEngineStore((state) => state.lastSpeed);
  // Windows must fit the context the model runs with, not the default one.
  const contextSize = useEngineStore((state) => state.sources.contextWindowSize);
  const settings = useMemo(
    () => ({ budget: { ...defaultTokenBudget, contextSize } }),
    [contextSize],
  );
  const windowsByRun = useRunsStore((state) => state.windowsByRun);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);

  // A picked conversation deleted meanwhile is left out.
  const known = useMemo(
    () => picked.filter((id) => conversations.some((conversation) => conversation.id === id)),
    [picked, conversations],
  );
  const current = useRunPlan(known, settings);

  const measured = useMemo(
    () => measuredFromWindows(Object.values(windowsByRun).flat()),
    [windowsByRun],
  );
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
    appServices()
      .runs.start({ conversationIds: known, settings })
      .then(() => useRunsDraftStore.getState().choose([]))
      .catch((error: unknown) => setStartError(errorText(error)))
      .finally(() => setStarting(false));
  };

  return (
    <section className="card run-planner" aria-labelledby="planner-title">
      <h3 className="run-title" id="planner-title">
        New run
      </h3>
      <p className="muted run-planner-lede">
        Pick conversations; each is cut into windows of 15 user messages that the model reads one at
        a time.
      </p>
      <ConversationPicks />
      {known.length > 0 && (
        <PlanStats
          current={current}
          answerTokens={answerTokens}
          answerMeasured={measured.answerTokens !== null}
          seconds={seconds}
        />
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
