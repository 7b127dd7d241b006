import { z } from 'zod';

import { questionRecordSchema } from '../db/askRecords';
import { reviewPairRecordSchema } from '../db/consolidationRecords';
import {
  conversationRecordSchema,
  memoryRecordSchema,
  runRecordSchema,
  windowRecordSchema,
} from '../db/records';

const liveSchema = z.object({
  runId: z.string(),
  windowIndex: z.int(),
  answerChars: z.int(),
  memoriesSoFar: z.int(),
});

/** The stores a `reload` change reads again from IndexedDB. */
export const reloadableStores = ['conversations', 'memories', 'runs', 'consolidation'] as const;

/** Records a deletion changed to keep consolidation's versions whole (`relinkAfterRemoval`). */
const relinked = z.array(memoryRecordSchema).optional();
export type ReloadableStore = (typeof reloadableStores)[number];

/**
 * Every change the stores know. A service commits a change to IndexedDB first, then publishes it
 * (`publish.ts`): this tab applies it with `applyChange` and the other tabs receive it on the tab
 * channel and apply it with the same function. The shapes are also the wire format, so a tab of an
 * older or newer build ignores what it cannot read.
 */
export const changeSchema = z.discriminatedUnion('type', [
  /** `runningHere`: the sender holds the GPU lock and is extracting this run. */
  z.object({ type: z.literal('run'), run: runRecordSchema, runningHere: z.boolean() }),
  /** A run, its windows and (`memoryIds`, when deleted with it) its memories were deleted. */
  z.object({
    type: z.literal('run-removed'),
    runId: z.string(),
    memoryIds: z.array(z.string()).optional(),
    relinked,
  }),
  z.object({ type: z.literal('windows'), windows: z.array(windowRecordSchema) }),
  /** A finished window's memories, replacing its provisional ones and an earlier attempt's. */
  z.object({
    type: z.literal('window-committed'),
    runId: z.string(),
    windowIndex: z.int(),
    memories: z.array(memoryRecordSchema),
    relinked,
  }),
  /** Memories of a window the model is still writing (never stored). */
  z.object({
    type: z.literal('provisional'),
    runId: z.string(),
    windowIndex: z.int(),
    memories: z.array(memoryRecordSchema),
  }),
  /** The window being extracted and how far its answer got (never stored). */
  z.object({ type: z.literal('live'), live: liveSchema.nullable() }),
  z.object({ type: z.literal('memories-upserted'), memories: z.array(memoryRecordSchema) }),
  /** A question of the Ask box's history was saved (asked, or its answer ended). */
  z.object({ type: z.literal('question-saved'), question: questionRecordSchema }),
  z.object({ type: z.literal('question-removed'), id: z.string() }),
  z.object({ type: z.literal('memories-removed'), ids: z.array(z.string()) }),
  z.object({
    type: z.literal('conversations-saved'),
    conversations: z.array(conversationRecordSchema),
  }),
  /** A conversation and its messages were deleted, and `memoryIds` with them. */
  z.object({
    type: z.literal('conversation-removed'),
    conversationId: z.string(),
    memoryIds: z.array(z.string()),
    relinked,
  }),
  /**
   * A consolidation or its undo: new and changed memories (earlier versions carry `supersededBy`)
   * and memories removed, in one update.
   */
  z.object({
    type: z.literal('memory-versions'),
    memories: z.array(memoryRecordSchema),
    removedIds: z.array(z.string()),
  }),
  /** The review queue: pairs added or changed, pairs gone; `all`: `put` is the whole queue. */
  z.object({
    type: z.literal('consolidation-pairs'),
    put: z.array(reviewPairRecordSchema),
    removedIds: z.array(z.string()),
    all: z.boolean().optional(),
  }),
  /** Too much changed to carry the records: read the store again from IndexedDB. */
  z.object({ type: z.literal('reload'), what: z.enum(reloadableStores) }),
]);
export type Change = z.infer<typeof changeSchema>;

/** Above this many records a change goes to other tabs as a `reload` instead of the records. */
export const MAX_BROADCAST_RECORDS = 2000;

/**
 * What other tabs are sent for `change`: the change itself, or, when it carries more records than
 * is worth copying to every tab, `reload`s of the stores it touches (which leave those stores as
 * applying the change would, since the change is already in IndexedDB).
 */
export function wireForm(change: Change): Change[] {
  const reload = (...what: ReloadableStore[]): Change[] =>
    what.map((store) => ({ type: 'reload', what: store }));
  switch (change.type) {
    case 'memories-upserted':
      return change.memories.length > MAX_BROADCAST_RECORDS ? reload('memories') : [change];
    case 'memories-removed':
      return change.ids.length > MAX_BROADCAST_RECORDS ? reload('memories') : [change];
    case 'memory-versions':
      return change.memories.length + change.removedIds.length > MAX_BROADCAST_RECORDS
        ? reload('memories')
        : [change];
    case 'consolidation-pairs':
      return change.put.length + change.removedIds.length > MAX_BROADCAST_RECORDS
        ? reload('consolidation')
        : [change];
    case 'conversations-saved':
      return change.conversations.length > MAX_BROADCAST_RECORDS
        ? reload('conversations')
        : [change];
    case 'conversation-removed':
      return change.memoryIds.length + (change.relinked?.length ?? 0) > MAX_BROADCAST_RECORDS
        ? reload('conversations', 'memories')
        : [change];
    case 'run-removed':
      return (change.memoryIds?.length ?? 0) + (change.relinked?.length ?? 0) >
        MAX_BROADCAST_RECORDS
        ? reload('runs', 'memories')
        : [change];
    default:
      return [change];
  }
}
