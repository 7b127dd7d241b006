import { z } from 'zod';

import { changeSchema } from './changes';

/** Channel every DimMem tab of this origin listens on. */
export const TAB_CHANNEL_NAME = 'dimmem-tabs';

/** Asks the tab running a run to pause or cancel it (the button was pressed in a follower tab). */
export const controlMessageSchema = z.object({
  type: z.literal('control'),
  runId: z.string(),
  action: z.enum(['pause', 'cancel']),
});
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/**
 * What tabs tell each other: the changes they publish (`changes.ts`), which the others apply to
 * their stores, and control requests for a run another tab extracts.
 */
export const tabMessageSchema = z.discriminatedUnion('type', [
  ...changeSchema.options,
  controlMessageSchema,
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
