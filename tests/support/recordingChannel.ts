import type { TabChannel, TabMessage } from '../../src/store/tabs/tabChannel';

/** One tab's side of the channel: what it posts is kept; `deliver` plays it to the listener. */
export function recordingChannel() {
  const sent: TabMessage[] = [];
  let handler: (message: TabMessage) => void = () => undefined;
  const channel: TabChannel = {
    post: (message) => sent.push(structuredClone(message)),
    subscribe: (listener) => {
      handler = listener;
      return () => undefined;
    },
    close: () => undefined,
  };
  return { channel, sent, deliver: (message: TabMessage) => handler(message) };
}
