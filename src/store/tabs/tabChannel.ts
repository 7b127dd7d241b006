import { z } from 'zod';

import { memoryRecordSchema, runRecordSchema, windowRecordSchema } from '../db/records';

/** Channel every DimMem tab of this origin listens on. */
export const TAB_CHANNEL_NAME = 'dimmem-tabs';

const liveSchema = z.object({
  runId: z.string(),
  windowIndex: z.int(),
  answerChars: z.int(),
  memoriesSoFar: z.int(),
});

/**
 * What tabs tell each other. A tab that runs the model announces its run, window and memory changes;
 * the others mirror them into their stores. Bulk changes (imports, deletes of many) say `reload`
 * instead of carrying every record.
 */
export const tabMessageSchema = z.discriminatedUnion('type', [
  /** `runningHere`: the sender holds the GPU lock and is extracting this run. */
  z.object({ type: z.literal('run'), run: runRecordSchema, runningHere: z.boolean() }),
  z.object({ type: z.literal('run-removed'), runId: z.string() }),
  z.object({ type: z.literal('windows'), windows: z.array(windowRecordSchema) }),
  z.object({
    type: z.literal('window-committed'),
    runId: z.string(),
    windowIndex: z.int(),
    memories: z.array(memoryRecordSchema),
  }),
  z.object({
    type: z.literal('provisional'),
    runId: z.string(),
    windowIndex: z.int(),
    memories: z.array(memoryRecordSchema),
  }),
  z.object({ type: z.literal('live'), live: liveSchema.nullable() }),
  z.object({ type: z.literal('memories-upserted'), memories: z.array(memoryRecordSchema) }),
  z.object({ type: z.literal('memories-removed'), ids: z.array(z.string()) }),
  /** Ask the tab running a run to pause or cancel it (the button was pressed in a follower tab). */
  z.object({
    type: z.literal('control'),
    runId: z.string(),
    action: z.enum(['pause', 'cancel']),
  }),
  z.object({ type: z.literal('reload'), what: z.enum(['conversations', 'memories', 'runs']) }),
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;

/** The part of BroadcastChannel used here; injectable for tests. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface TabChannel {
  post(message: TabMessage): void;
  /** Calls `handler` with each valid message from other tabs; returns the unsubscribe function. */
  subscribe(handler: (message: TabMessage) => void): () => void;
  close(): void;
}

/** Above this many memories a tab sends `reload` rather than the records themselves. */
export const MAX_BROADCAST_MEMORIES = 2000;

export function createTabChannel(
  channel: ChannelLike | null = typeof BroadcastChannel === 'undefined'
    ? null
    : new BroadcastChannel(TAB_CHANNEL_NAME),
): TabChannel {
  return {
    post(message) {
      channel?.postMessage(message);
    },
    subscribe(handler) {
      if (!channel) return () => undefined;
      const listener = (event: MessageEvent) => {
        // Another tab may run an older or newer build: ignore what this one cannot read.
        const parsed = tabMessageSchema.safeParse(event.data);
        if (parsed.success) handler(parsed.data);
      };
      channel.addEventListener('message', listener);
      return () => channel.removeEventListener('message', listener);
    },
    close() {
      channel?.close();
    },
  };
}

let shared: TabChannel | null = null;

/** This page's channel to the other tabs (created on first use). */
export function sharedTabChannel(): TabChannel {
  shared ??= createTabChannel();
  return shared;
}

const silent: TabChannel = {
  post: () => undefined,
  subscribe: () => () => undefined,
  close: () => undefined,
};

/** The channel a service posts to: the one passed in, none when `null`, else the page's own. */
export function channelOf(options: { channel?: TabChannel | null }): TabChannel {
  if (options.channel === null) return silent;
  return options.channel ?? sharedTabChannel();
}
