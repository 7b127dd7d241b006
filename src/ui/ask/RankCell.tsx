import type { MemoryRecord } from '../../store/db/records';
import { useRankedRow } from './askRankContext';

/** The memory's rank for the question, and why it is there (routes, time understood). */
export function RankCell({ memory }: { memory: MemoryRecord }) {
  const ranked = useRankedRow(memory.id);
  if (!ranked) return null;
  return (
    <span className="rank-cell" title={ranked.why}>
      <span className="rank-number" data-testid="rank">
        {ranked.rank}
      </span>
      <span className="rank-why" data-testid="rank-why">
        {ranked.why}
      </span>
    </span>
  );
}
