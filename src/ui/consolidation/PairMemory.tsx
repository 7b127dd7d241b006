import { Fragment, useState } from 'react';

import type { MemoryRecord } from '../../store/db/records';
import { formatDateTime } from '../common/format';
import { textDimensions, typeLabels } from '../common/labels';
import { DimensionValue } from '../memories/DimensionValue';
import { SourceMessages } from '../memories/SourceMessages';
import '../memories/detailPanel.css';
import '../memories/memoryTable.css';

/** Every dimension of the memory, as label and text, in the detail panel's order. */
const dimensionRows = (memory: MemoryRecord): [string, string][] => [
  ['Time', memory.time],
  ...textDimensions.map(({ key, label }): [string, string] => [label, memory[key]]),
  ['Keywords', memory.keywords.join(', ')],
  ['Message time', formatDateTime(memory.messageTimestamp)],
];

/**
 * One side of a review pair: the memory with its dimensions and the message it came from. The
 * conversation around the message is read only when asked for (a long queue stays light).
 */
export function PairMemory({
  side,
  memory,
}: {
  side: 'Older' | 'Newer';
  memory: MemoryRecord | undefined;
}) {
  const [showConversation, setShowConversation] = useState(false);
  if (!memory) {
    return (
      <section className="pair-memory" aria-label={`${side} memory`}>
        <h4 className="pair-side">{side}</h4>
        <p className="muted">
          This memory changed since the pair was found; find duplicates again.
        </p>
      </section>
    );
  }
  return (
    <section className="pair-memory" aria-label={`${side} memory`} data-testid="pair-memory">
      <div className="row pair-side-head">
        <h4 className="pair-side">{side}</h4>
        <span className={`type-badge ${memory.memoryType}`}>{typeLabels[memory.memoryType]}</span>
        {memory.edited && <span className="edited-mark">edited</span>}
        {memory.pinned && <span className="pill">pinned</span>}
      </div>
      <p className="pair-content" data-testid="pair-content">
        {memory.content}
      </p>
      <dl className="dimensions pair-dimensions">
        {dimensionRows(memory).map(([label, text]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>
              <DimensionValue text={text} />
            </dd>
          </Fragment>
        ))}
      </dl>
      <p className="pair-message" data-testid="pair-message">
        <span className="message-meta">Source message</span>
        {memory.messageText}
      </p>
      {showConversation ? (
        <SourceMessages memory={memory} />
      ) : (
        <button
          type="button"
          className="button ghost small"
          onClick={() => setShowConversation(true)}
        >
          Show it in the conversation
        </button>
      )}
    </section>
  );
}
