import { useMemo, useState } from 'react';

import { useConversationsStore } from '../../store/conversations/conversationsStore';
import type { RunRecord } from '../../store/db/records';
import { isInterrupted, useRunsStore } from '../../store/runs/runsStore';
import { ProgressBar } from '../common/ProgressBar';
import { progressOf } from './runEstimate';
import { RunControls } from './RunControls';
import { RunSummary } from './RunSummary';
import type { WindowTimeWarnings } from './timeWarnings';
import { useRunAction } from './useRunAction';
import { WindowItem } from './WindowItem';

/** One run: its status and controls, progress, notices and (on demand) its windows. */
export function RunCard({ run, warnings }: { run: RunRecord; warnings: WindowTimeWarnings }) {
  const windows = useRunsStore((state) => state.windowsByRun[run.id]) ?? [];
  const owners = useRunsStore((state) => state.owners);
  const conversations = useConversationsStore((state) => state.conversations);
  const { busy, error, act } = useRunAction();
  const [showWindows, setShowWindows] = useState(run.status === 'running');
  const titles = useMemo(
    () => new Map(conversations.map((conversation) => [conversation.id, conversation.title])),
    [conversations],
  );
  const interrupted = isInterrupted(run, owners);
  const owner = owners[run.id];
  const status = interrupted ? 'interrupted' : run.status;
  const hasFailed = windows.some(
    (window) => window.status === 'failed' || window.status === 'incomplete',
  );
  const done = windows.filter((window) => window.status === 'done').length;
  let warningCount = 0;
  for (const list of warnings.values()) warningCount += list.length;

  const title = run.conversationIds.map((id) => titles.get(id) ?? id).join(', ');
  return (
    <article className="card run-card" aria-label={`Run: ${title}`} data-testid="run-card">
      <div className="run-head">
        <h3 className="run-title">{title || 'Run'}</h3>
        <span className={`status-pill ${status}`} data-testid="run-status">
          {owner === 'other-tab' ? 'running in another tab' : status}
        </span>
        <span className="spacer" />
        <RunControls
          run={run}
          owner={owner}
          interrupted={interrupted}
          hasFailed={hasFailed}
          busy={busy}
          act={act}
        />
      </div>
      <ProgressBar value={progressOf(run, windows)} label="Run progress" />
      <RunSummary
        run={run}
        done={done}
        warningCount={warningCount}
        showWindows={showWindows}
        onToggleWindows={() => setShowWindows((open) => !open)}
      />
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
