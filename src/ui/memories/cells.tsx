import type { MemoryRecord } from '../../store/db/records';
import { VersionMarks } from '../consolidation/VersionMarks';
import { useTableContext } from './tableContext';

export function SelectCell({ memory }: { memory: MemoryRecord }) {
  const { selected, toggleSelected, provisional } = useTableContext();
  if (provisional.has(memory.id)) return null;
  return (
    <input
      type="checkbox"
      aria-label="Select memory"
      checked={selected.has(memory.id)}
      onChange={() => toggleSelected(memory.id)}
      onClick={(event) => event.stopPropagation()}
      tabIndex={-1}
    />
  );
}

/** Said of every memory the replay demo produced, so a recorded answer never passes for a real run. */
const recordedMarkText = 'Recorded answer (demo), not extracted by a model run';

export function ContentCell({ memory }: { memory: MemoryRecord }) {
  const { provisional } = useTableContext();
  return (
    <>
      {provisional.has(memory.id) && <span className="writing-mark">writing…</span>}
      {memory.origin === 'recorded' && (
        <span className="recorded-mark" title={recordedMarkText}>
          <span aria-hidden="true">recorded</span>
          <span className="visually-hidden">{recordedMarkText}</span>
        </span>
      )}
      {memory.edited && (
        <span className="edited-mark" title="Edited by you">
          edited
        </span>
      )}
      <VersionMarks memory={memory} />
      <span className="cell-text" title={memory.content}>
        {memory.content}
      </span>
    </>
  );
}

export function ConversationCell({ memory }: { memory: MemoryRecord }) {
  const { titles } = useTableContext();
  const title = titles.get(memory.conversationId) ?? memory.conversationId;
  return (
    <span className="cell-text" title={title}>
      {title}
    </span>
  );
}
