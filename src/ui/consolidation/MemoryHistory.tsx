import { useMemo, useState } from 'react';

import { errorText } from '../../core/errorText';
import { appServices } from '../../store/boot/appServices';
import { memoryHistory } from '../../store/consolidation/consolidationStore';
import type { MemoryRecord } from '../../store/db/records';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import { FieldError } from '../common/FieldError';
import { formatDateTime } from '../common/format';
import { typeLabels } from '../common/labels';
import { SourceMessages } from '../memories/SourceMessages';
import { decisionLabels, proposedBy } from './consolidationText';
import './consolidation.css';

type RemovedReason = NonNullable<MemoryRecord['removedOriginals']>[number]['reason'];

const removedReasons: Record<RemovedReason, string> = {
  'memory-deleted': 'deleted',
  'conversation-deleted': 'deleted with its conversation',
  'run-deleted': 'deleted with its run',
  're-extracted': 'replaced when its window was extracted again',
};

/** One earlier version: its text, when it was said, until when it held, and its source message. */
function EarlierVersion({ version }: { version: MemoryRecord }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="history-version" data-testid="history-version">
      <div className="row">
        <span className={`type-badge ${version.memoryType}`}>{typeLabels[version.memoryType]}</span>
        <span className="muted">said {formatDateTime(version.messageTimestamp)}</span>
        {version.validUntil !== undefined && (
          <span className="pill warning" data-testid="valid-until">
            valid until {formatDateTime(version.validUntil)}
          </span>
        )}
      </div>
      <p className="flush mt-6">{version.content}</p>
      {open ? (
        <SourceMessages memory={version} />
      ) : (
        <button type="button" className="button ghost small mt-6" onClick={() => setOpen(true)}>
          Source message
        </button>
      )}
    </li>
  );
}

/**
 * What a merged or superseding memory was made from: how it was decided and by whom, the earlier
 * versions (oldest first, with dates, "valid until" and their source messages), originals deleted
 * since, and Undo, which makes the earlier versions current again.
 */
export function MemoryHistory({ memory }: { memory: MemoryRecord }) {
  const byId = useMemoriesStore((state) => state.byId);
  const earlier = useMemoriesStore((state) => state.earlier);
  const versions = useMemo(
    () => memoryHistory(memory.id, { byId, earlier }),
    [memory.id, byId, earlier],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const removed = memory.removedOriginals ?? [];
  if (memory.mergedFrom === undefined) return null;

  const undo = () => {
    setBusy(true);
    setError(null);
    appServices()
      .consolidation.undo(memory.id)
      .catch((caught: unknown) => {
        setError(errorText(caught));
        setBusy(false);
      });
  };

  return (
    <section aria-labelledby="memory-history-title" data-testid="memory-history">
      <h3 className="detail-section" id="memory-history-title">
        History
      </h3>
      <p className="flush mb-8">
        {memory.decision ? decisionLabels[memory.decision] : 'Merged'}
        {memory.decidedBy ? `, ${proposedBy(memory.decidedBy)}` : ''}, from{' '}
        {memory.mergedFrom.length} earlier {memory.mergedFrom.length === 1 ? 'version' : 'versions'}
        .{memory.decisionReasoning && <span className="muted"> {memory.decisionReasoning}</span>}
      </p>
      <ol className="history-list">
        {versions.map((version) => (
          <EarlierVersion key={version.id} version={version} />
        ))}
        {removed.map((original) => (
          <li key={original.id} className="history-version history-removed">
            {original.content} (said {formatDateTime(original.messageTimestamp)};{' '}
            {removedReasons[original.reason]})
          </li>
        ))}
      </ol>
      <div className="row mt-8">
        <button type="button" className="button" disabled={busy} onClick={undo}>
          Undo {memory.decision === 'SUPERSEDE' ? 'replacement' : 'merge'}
        </button>
        <span className="muted">The earlier versions become current memories again.</span>
      </div>
      <FieldError error={error} />
    </section>
  );
}
