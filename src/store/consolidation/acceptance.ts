import type { ConsolidationDecision } from '../../core/consolidate';
import { consolidatedId, mergeByDecision, mergeDuplicates } from '../../core/consolidate';
import { compareSourceTime } from '../../core/consolidate/sourceOrder';
import type { ReviewPairRecord } from '../db/consolidationRecords';
import type { MemoryRecord } from '../db/records';
import type { ConsolidationWrite } from './consolidatedRecord';
import { consolidatedRecord, toConsolidationMemory } from './consolidatedRecord';

/** Who decided a merge whose text a person wrote. */
export const PERSON_LABEL = 'you';

/** A pair that can no longer be applied as it stands (a memory of it changed version since). */
export class StalePairError extends Error {
  override name = 'StalePairError';
}

/**
 * What accepting a pair writes, from the stored memories it names, or `keep-both` for a proposal to
 * keep them apart. A rule pair merges its whole duplicate group (the members still current and,
 * besides the pair's own two, neither pinned nor edited); a model's MERGE or SUPERSEDE is built as
 * the CLI builds it (`mergeByDecision`). `edit` is the person's text for the new memory, which is
 * then marked edited; it also turns a pair without a proposal (or with KEEP_BOTH) into a MERGE.
 */
export function acceptanceWrite(
  pair: ReviewPairRecord,
  stored: ReadonlyMap<string, MemoryRecord>,
  now: number,
  edit?: { content: string },
): ConsolidationWrite | 'keep-both' {
  const current = (id: string) => {
    const memory = stored.get(id);
    return memory && memory.supersededBy === undefined ? memory : undefined;
  };
  const older = current(pair.olderId);
  const newer = current(pair.newerId);
  if (!older || !newer)
    throw new StalePairError(
      'One of these memories was merged, superseded or deleted since this pair was found.',
    );
  const content = edit?.content.trim();
  if (edit && !content) throw new Error('The merged memory needs a text.');
  const proposal = pair.proposal;
  const meta = {
    by: content ? PERSON_LABEL : (proposal?.by ?? PERSON_LABEL),
    reasoning: proposal?.reasoning ?? '',
    edited: content !== undefined,
    createdAt: now,
  };

  if (pair.rule !== null) {
    // The pair's own two are the person's choice; other members pinned or edited since stay.
    const joins = (memory: MemoryRecord | undefined): memory is MemoryRecord =>
      memory !== undefined &&
      (memory === older || memory === newer || (!memory.edited && memory.pinned !== true));
    const members = (pair.group ?? [pair.olderId, pair.newerId])
      .map(current)
      .filter(joins)
      .sort(compareSourceTime);
    const merged = mergeDuplicates(members.map(toConsolidationMemory));
    if (content !== undefined) {
      merged.content = content;
      merged.id = consolidatedId('MERGE', merged.mergedFrom, content);
    }
    return {
      created: consolidatedRecord(merged, members.at(-1)!, { ...meta, decision: 'MERGE' }),
      earlier: members.map((memory) => ({ id: memory.id })),
    };
  }

  if (!proposal && content === undefined)
    throw new Error('This pair has no proposal yet: write the merged text, or let a model decide.');
  if (proposal?.decision === 'KEEP_BOTH' && content === undefined) return 'keep-both';
  const kind = proposal?.decision === 'SUPERSEDE' ? 'SUPERSEDE' : 'MERGE';
  const decision: ConsolidationDecision & { decision: 'MERGE' | 'SUPERSEDE' } = {
    decision: kind,
    merged_content: content ?? proposal?.mergedContent ?? '',
    merged_dimension: pair.mergedDimension ?? {
      memory_type: newer.memoryType,
      time: '',
      keywords: [],
      reason: '',
      purpose: '',
    },
    reasoning: meta.reasoning,
  };
  const merged = mergeByDecision(
    toConsolidationMemory(older),
    toConsolidationMemory(newer),
    decision,
  );
  return {
    created: consolidatedRecord(merged, newer, { ...meta, decision: kind }),
    earlier: [
      {
        id: older.id,
        ...(kind === 'SUPERSEDE' ? { validUntil: newer.timeStart ?? newer.messageTimestamp } : {}),
      },
      { id: newer.id },
    ],
  };
}
