import type { ConsolidatedMemory, ConsolidationMemory } from '../../core/consolidate';
import { extractedMemoryOf } from '../../core/memory';
import type { MemoryRecord } from '../db/records';

/** A stored memory as consolidation reads it; edited and pinned memories are locked. */
export function toConsolidationMemory(record: MemoryRecord): ConsolidationMemory {
  return {
    ...extractedMemoryOf(record),
    id: record.id,
    conversationId: record.conversationId,
    locked: record.edited || record.pinned === true,
  };
}

export interface ConsolidationMeta {
  decision: 'MERGE' | 'SUPERSEDE';
  /** The rule, the model's label, or `you` for a person's own text. */
  by: string;
  reasoning: string;
  /** A person wrote its text: it is marked edited, so it is never changed automatically. */
  edited: boolean;
  createdAt: number;
}

/**
 * The record of a memory a merge or supersede made (`mergedByDecision`, `mergeDuplicates`): on
 * the newest original's conversation, run and window, with what decided it.
 */
export function consolidatedRecord(
  merged: ConsolidatedMemory,
  newest: MemoryRecord,
  meta: ConsolidationMeta,
): MemoryRecord {
  return {
    ...extractedMemoryOf(merged),
    id: merged.id,
    conversationId: newest.conversationId,
    runId: newest.runId,
    windowIndex: newest.windowIndex,
    modelId: newest.modelId,
    origin: newest.origin,
    edited: meta.edited,
    createdAt: meta.createdAt,
    mergedFrom: merged.mergedFrom,
    decision: meta.decision,
    decidedBy: meta.by,
    decisionReasoning: meta.reasoning,
  };
}

/** What a consolidation writes: the new memory, and each original as an earlier version of it. */
export interface ConsolidationWrite {
  created: MemoryRecord;
  /** The originals' ids with, for a superseded fact, until when it held. */
  earlier: { id: string; validUntil?: number }[];
}
