import type { ConsolidationPass, Detection, PairDecision } from '../../core/consolidate';
import type { ReviewPairRecord } from '../db/consolidationRecords';
import { pairKind } from './consolidationStore';
import { reviewPairId } from './pairRepository';

/**
 * The review queue for a detection: one pair per detected pair, except pairs kept apart and, when
 * `ruleMerged`, the rule pairs (merged already). A rule pair comes with its proposal (MERGE by
 * rule) and its whole group; a pair stored before keeps the model's proposal or failure, so a
 * detection after every run never asks the model again for a pair it answered.
 */
export function reviewPairsOf(
  detection: Detection,
  pass: ConsolidationPass,
  stored: ReadonlyMap<string, ReviewPairRecord>,
  ruleMerged: boolean,
  /** The current memories' ids once this detection's rule merges are done. */
  current: ReadonlySet<string>,
): ReviewPairRecord[] {
  const groupOf = new Map<string, string[]>();
  for (const group of detection.groups)
    for (const id of group.members) groupOf.set(id, group.members);
  const ruleDecisions = new Map<string, PairDecision>();
  for (const outcome of pass.outcomes()) {
    if (outcome.pair.rule !== null && outcome.decision)
      ruleDecisions.set(reviewPairId(outcome.pair.older, outcome.pair.newer), outcome.decision);
  }
  const open: ReviewPairRecord[] = [];
  for (const pair of detection.pairs) {
    if (pair.rule !== null && ruleMerged) continue;
    const id = reviewPairId(pair.older, pair.newer);
    const before = stored.get(id);
    if (before?.status === 'kept') continue;
    const rule = ruleDecisions.get(id);
    const record: ReviewPairRecord = {
      id,
      olderId: pair.older,
      newerId: pair.newer,
      kind: 'duplicate',
      similarity: pair.similarity,
      method: pair.method,
      rule: pair.rule,
      proposal: null,
      status: 'waiting-for-model',
    };
    if (rule) {
      record.proposal = {
        decision: 'MERGE',
        mergedContent: rule.mergedContent,
        reasoning: rule.reasoning,
        by: rule.by,
      };
      record.group = groupOf.get(pair.older);
      record.status = 'proposed';
    } else if (before?.proposal) {
      record.proposal = before.proposal;
      if (before.mergedDimension) record.mergedDimension = before.mergedDimension;
      record.status = 'proposed';
    } else if (before?.status === 'failed') {
      record.status = 'failed';
      if (before.error !== undefined) record.error = before.error;
    }
    record.kind = pairKind(record.proposal);
    open.push(record);
  }
  return [...open, ...proposalsStillOpen(stored, open, current)];
}

/**
 * A model's proposal stays in the queue while both its memories are current, even when detection
 * no longer finds the pair (the other similarity method, keywords edited): a decision that cost a
 * model call is never dropped silently.
 */
function proposalsStillOpen(
  stored: ReadonlyMap<string, ReviewPairRecord>,
  open: readonly ReviewPairRecord[],
  current: ReadonlySet<string>,
): ReviewPairRecord[] {
  const found = new Set(open.map((pair) => pair.id));
  return [...stored.values()].filter(
    (pair) =>
      pair.status === 'proposed' &&
      pair.rule === null &&
      !found.has(pair.id) &&
      current.has(pair.olderId) &&
      current.has(pair.newerId),
  );
}
