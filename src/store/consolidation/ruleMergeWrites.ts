import type { ConsolidationPass, Detection } from '../../core/consolidate';
import type { ReviewPairRecord } from '../db/consolidationRecords';
import type { MemoryRecord } from '../db/records';
import type { ConsolidationWrite } from './consolidatedRecord';
import { consolidatedRecord } from './consolidatedRecord';
import { reviewPairId } from './pairRepository';

/** The new memories of a pass's rule groups, each with its originals. */
export function ruleMergeWrites(
  pass: ConsolidationPass,
  byId: ReadonlyMap<string, MemoryRecord>,
  now: number,
): ConsolidationWrite[] {
  const decisions = new Map(
    pass
      .outcomes()
      .flatMap(({ decision }) => (decision?.result ? [[decision.result, decision]] : [])),
  );
  return pass.created.map((merged) => {
    const decision = decisions.get(merged.id)!;
    return {
      created: consolidatedRecord(merged, byId.get(merged.mergedFrom.at(-1)!)!, {
        decision: 'MERGE',
        by: decision.by,
        reasoning: decision.reasoning,
        edited: false,
        createdAt: now,
      }),
      earlier: merged.mergedFrom.map((id) => ({ id })),
    };
  });
}

/**
 * A duplicate group with a pair the user kept apart (or undid) is no rule group any more: it is
 * never merged automatically again, and its pairs stay out of the queue.
 */
export function withoutKeptGroups(
  detection: Detection,
  stored: ReadonlyMap<string, ReviewPairRecord>,
): Detection {
  const isKept = (older: string, newer: string) =>
    stored.get(reviewPairId(older, newer))?.status === 'kept';
  const kept = new Set(
    detection.groups.filter((group) =>
      group.members.some((older, index) =>
        group.members.slice(index + 1).some((newer) => isKept(older, newer)),
      ),
    ),
  );
  if (kept.size === 0) return detection;
  const keptMembers = new Set([...kept].flatMap((group) => group.members));
  return {
    ...detection,
    groups: detection.groups.filter((group) => !kept.has(group)),
    pairs: detection.pairs.filter((pair) => pair.rule === null || !keptMembers.has(pair.older)),
  };
}
