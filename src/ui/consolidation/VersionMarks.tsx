import type { MemoryRecord } from '../../store/db/records';
import './consolidation.css';

/** A table row's marks for consolidation: made by a merge or replacement, pinned. */
export function VersionMarks({ memory }: { memory: MemoryRecord }) {
  const merged = memory.mergedFrom !== undefined;
  if (!merged && memory.pinned !== true) return null;
  return (
    <>
      {merged && (
        <span
          className="merged-mark"
          title="Made from earlier versions: open it to see its history"
        >
          {memory.decision === 'SUPERSEDE' ? 'replaced' : 'merged'}
        </span>
      )}
      {memory.pinned === true && (
        <span className="merged-mark" title="Pinned: never changed automatically">
          pinned
        </span>
      )}
    </>
  );
}
