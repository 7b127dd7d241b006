import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { localTimeFromInstant } from '../../core/time/localTime';
import { appServices } from '../../store/boot/appServices';
import { useAskStore } from '../../store/ask/askStore';
import { exportHistory, type HistoryFormat } from '../../store/ask/historyExport';
import { downloadFile } from '../common/download';
import { formatDateTime } from '../common/format';

/** The questions asked, newest first: reopen, delete, export (JSON or Markdown). */
export function AskHistory() {
  const { history, loaded, shownId } = useAskStore(
    useShallow((state) => ({
      history: state.history,
      loaded: state.historyLoaded,
      shownId: state.shownId,
    })),
  );
  const [format, setFormat] = useState<HistoryFormat>('markdown');
  useEffect(() => {
    if (!useAskStore.getState().historyLoaded) void appServices().ask.loadHistory();
  }, []);

  return (
    <aside className="ask-history" aria-label="Question history">
      <div className="ask-history-head">
        <h3 className="ask-history-title">Questions ({history.length})</h3>
        <select
          aria-label="History export format"
          value={format}
          onChange={(event) => setFormat(event.target.value as HistoryFormat)}
        >
          <option value="markdown">Markdown</option>
          <option value="json">JSON</option>
        </select>
        <button
          type="button"
          className="button small"
          disabled={history.length === 0}
          onClick={() => downloadFile(exportHistory(history, format))}
        >
          Export
        </button>
      </div>
      {loaded && history.length === 0 && (
        <p className="muted ask-history-empty">Questions you answer are kept here.</p>
      )}
      <ol className="ask-history-list">
        {history.map((question) => (
          <li
            key={question.id}
            className={`ask-history-item${question.id === shownId ? ' shown' : ''}`}
          >
            <button
              type="button"
              className="ask-history-open"
              onClick={() => appServices().ask.reopen(question.id)}
            >
              {question.question}
            </button>
            <span className="ask-history-meta muted">
              {formatDateTime(localTimeFromInstant(question.askedAt))}
              {question.details.answer ? ` · ${question.details.answer.status}` : ''}
            </span>
            <button
              type="button"
              className="button ghost small"
              aria-label={`Delete question “${question.question}”`}
              onClick={() => void appServices().ask.remove(question.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
    </aside>
  );
}
