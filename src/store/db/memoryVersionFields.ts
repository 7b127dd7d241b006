import { z } from 'zod';

import { instant, localTime } from './timeSchemas';

/** Why an original of a consolidated memory is no longer stored. */
export const removedOriginalReasons = [
  'memory-deleted',
  'conversation-deleted',
  'run-deleted',
  're-extracted',
] as const;
export type RemovedOriginalReason = (typeof removedOriginalReasons)[number];

/**
 * Consolidation's versions (docs/consolidation.md), all optional: a record without them is a
 * current memory as before. The names match the memory line's version 2.
 */
export const memoryVersionShape = {
  /** Set on a memory a merge or supersede made: its originals' ids, older first. */
  mergedFrom: z.array(z.string().min(1)).min(1).optional(),
  /** Set on an earlier version: the memory that replaced it. Such a record is not current. */
  supersededBy: z.string().min(1).optional(),
  /** A superseded fact: until when it held. */
  validUntil: localTime.optional(),
  /** Kept from ever being changed automatically. */
  pinned: z.boolean().optional(),
  /** On a consolidated memory: what made it, who decided (`rule: exact duplicate`, a model). */
  decision: z.enum(['MERGE', 'SUPERSEDE']).optional(),
  decidedBy: z.string().optional(),
  decisionReasoning: z.string().optional(),
  /**
   * On a consolidated memory: originals deleted since (with their conversation, run, by hand, or
   * replaced by a re-extraction), so its history says what it was made from.
   */
  removedOriginals: z
    .array(
      z.object({
        id: z.string(),
        content: z.string(),
        messageTimestamp: localTime,
        removedAt: instant,
        reason: z.enum(removedOriginalReasons),
      }),
    )
    .optional(),
};
