import { Fragment, useRef, useState } from 'react';

import { memoryTimeWarning } from '../../core/parse/memoryTime';
import { useFilterStore } from '../../store/view/filterStore';
import { appServices } from '../../store/boot/appServices';
import type { MemoryRecord } from '../../store/db/records';
import { errorText } from '../../core/errorText';
import { formatDateTime } from '../common/format';
import { textDimensions, typeLabels } from '../common/labels';
import { MemoryHistory } from '../consolidation/MemoryHistory';
import { PinToggle } from '../consolidation/PinToggle';
import { MemoryEditor } from './MemoryEditor';
import { RawAnswer } from './RawAnswer';
import { SourceMessages } from './SourceMessages';
import { DimensionValue } from './DimensionValue';
import '../common/timeWarnings.css';
import './detailPanel.css';

interface DetailPanelProps {
  memory: MemoryRecord;
  conversationTitle: string;
  related: readonly MemoryRecord[];
  onOpen: (id: string) => void;
  onClose: () => void;
}

/** Everything about one memory: its dimensions, where it came from, related memories, edit, delete. */
export function DetailPanel({
  memory,
  conversationTitle,
  related,
  onOpen,
  onClose,
}: DetailPanelProps) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const toggleKeyword = useFilterStore((state) => state.toggleKeyword);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Derived from the memory itself, as the run found it: an edit to a real date clears it.
  const timeWarning = memoryTimeWarning(memory.time);

  // A different memory: back to reading it, focus on its heading for screen readers.
  const [shownId, setShownId] = useState(memory.id);
  if (shownId !== memory.id) {
    setShownId(memory.id);
    setEditing(false);
    setConfirmingDelete(false);
    setError(null);
  }

  const remove = () => {
    setError(null);
    appServices()
      .memories.remove([memory.id])
      .then(onClose)
      .catch((caught: unknown) => setError(errorText(caught)));
  };

  return (
    <aside className="detail-panel" aria-labelledby="detail-title" data-testid="detail-panel">
      <div className="detail-head">
        <h2 id="detail-title" ref={headingRef} tabIndex={-1}>
          Memory
        </h2>
        <span className={`type-badge ${memory.memoryType}`}>{typeLabels[memory.memoryType]}</span>
        {memory.edited && <span className="edited-mark">edited</span>}
        {memory.origin === 'recorded' && (
          <span className="pill" title="Produced by the demo's recorded answers, not a live model">
            recorded
          </span>
        )}
        <span className="spacer" />
        <button type="button" className="button ghost small" onClick={onClose}>
          Close <span className="kbd">Esc</span>
        </button>
      </div>
      <div className="detail-body">
        {error && (
          <p role="alert" className="notice error">
            {error}
          </p>
        )}
        {editing ? (
          <MemoryEditor memory={memory} onDone={() => setEditing(false)} />
        ) : (
          <>
            <p className="detail-content" data-testid="detail-content">
              {memory.content}
            </p>
            <dl className="dimensions">
              <dt>Time</dt>
              <dd>
                <DimensionValue text={memory.time} />
                {timeWarning !== null && (
                  <span className="time-warning" data-testid="time-warning" title={timeWarning}>
                    not a date: kept as the model wrote it, so filtering by the memory’s dates skips
                    it
                  </span>
                )}
              </dd>
              {textDimensions.map(({ key, label }) => (
                <Fragment key={key}>
                  <dt>{label}</dt>
                  <dd>
                    <DimensionValue text={memory[key]} />
                  </dd>
                </Fragment>
              ))}
              <dt>Keywords</dt>
              <dd>
                {memory.keywords.length === 0 ? (
                  <span className="none">—</span>
                ) : (
                  <span className="keyword-list">
                    {memory.keywords.map((keyword) => (
                      <button
                        key={keyword}
                        type="button"
                        className="outlined-pill chip"
                        title={`Filter by “${keyword}”`}
                        onClick={() => toggleKeyword(keyword)}
                      >
                        {keyword}
                      </button>
                    ))}
                  </span>
                )}
              </dd>
              <dt>Conversation</dt>
              <dd>{conversationTitle}</dd>
              <dt>Message time</dt>
              <dd>{formatDateTime(memory.messageTimestamp)}</dd>
              <dt>Model</dt>
              <dd>{memory.modelId}</dd>
            </dl>
            <div className="row">
              <button type="button" className="button" onClick={() => setEditing(true)}>
                Edit
              </button>
              {confirmingDelete ? (
                <>
                  <button type="button" className="button danger" onClick={remove}>
                    Delete for good
                  </button>
                  <button
                    type="button"
                    className="button ghost"
                    onClick={() => setConfirmingDelete(false)}
                  >
                    Keep it
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="button danger"
                  onClick={() => setConfirmingDelete(true)}
                >
                  Delete
                </button>
              )}
            </div>
            <PinToggle memory={memory} />
          </>
        )}

        <MemoryHistory memory={memory} />

        <h3 className="detail-section">Source message</h3>
        <SourceMessages memory={memory} />

        <h3 className="detail-section">Model answer</h3>
        <RawAnswer memory={memory} />

        <h3 className="detail-section">Related memories</h3>
        {related.length === 0 ? (
          <p className="muted">None share its source message or keywords.</p>
        ) : (
          <ul className="related-list">
            {related.map((other) => (
              <li key={other.id}>
                <button type="button" onClick={() => onOpen(other.id)}>
                  <span className={`type-badge ${other.memoryType}`}>
                    {typeLabels[other.memoryType]}
                  </span>{' '}
                  {other.content}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}
