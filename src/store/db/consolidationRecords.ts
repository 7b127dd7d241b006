import { z } from 'zod';

import { consolidationDecisionSchema } from '../../core/consolidate/decisionSchema';

/**
 * A pair of the consolidation review queue, as IndexedDB keeps it so a reload resumes where the
 * queue was (proposals a model already wrote are not asked again). Owned by
 * `src/store/consolidation/`; `kept` is a pair the user kept apart, which detection never shows
 * again.
 */
export const reviewPairRecordSchema = z.object({
  id: z.string().min(1),
  olderId: z.string().min(1),
  newerId: z.string().min(1),
  kind: z.enum(['duplicate', 'conflict']),
  similarity: z.number(),
  method: z.enum(['embedding', 'lexical']),
  rule: z.enum(['exact', 'near-exact']).nullable(),
  proposal: z
    .object({
      decision: z.enum(['MERGE', 'SUPERSEDE', 'KEEP_BOTH']),
      mergedContent: z.string(),
      reasoning: z.string(),
      by: z.string(),
    })
    .nullable(),
  mergedDimension: consolidationDecisionSchema.shape.merged_dimension.optional(),
  group: z.array(z.string()).optional(),
  status: z.enum(['waiting-for-model', 'deciding', 'proposed', 'failed', 'kept']),
  error: z.string().optional(),
});
export type ReviewPairRecord = z.infer<typeof reviewPairRecordSchema>;
