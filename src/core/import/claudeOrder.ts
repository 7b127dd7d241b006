/**
 * The order of a Claude conversation's messages, and which of them were shown. Claude's export
 * lists every message ever written in `chat_messages`, edits and regenerations included, and not
 * always in time order; each message names its parent in `parent_message_uuid` (the first ones
 * name a root placeholder), so the list is a tree, as ChatGPT's `mapping` is.
 */

/** The parent Claude gives a conversation's first messages. */
export const CLAUDE_ROOT_UUID = '00000000-0000-4000-8000-000000000000';

export interface OrderedMessage {
  uuid: string | null;
  parent: string | null;
  /** Epoch milliseconds, or null when the message has no readable time. */
  time: number | null;
  fromHuman: boolean;
}

const isRoot = (parent: string | null) => parent === null || parent === CLAUDE_ROOT_UUID;

/**
 * Stable time order, the human's message first when two share a time (a question and its answer
 * can carry the same `created_at`). When some message has no time, the list order is kept.
 */
export function timeOrder(messages: readonly OrderedMessage[]): number[] {
  const indexes = messages.map((_, index) => index);
  if (messages.some((message) => message.time === null)) return indexes;
  return indexes.sort(
    (a, b) =>
      messages[a]!.time! - messages[b]!.time! ||
      Number(messages[b]!.fromHuman) - Number(messages[a]!.fromHuman) ||
      a - b,
  );
}

/** The message the branch ends at: the given leaf when known, else the latest message. */
function leafOf(
  messages: readonly OrderedMessage[],
  byUuid: Map<string, number>,
  preferredLeaf: string | null,
): number {
  const preferred = preferredLeaf === null ? undefined : byUuid.get(preferredLeaf);
  if (preferred !== undefined) return preferred;
  let latest = 0;
  messages.forEach((message, index) => {
    if ((message.time ?? -Infinity) >= (messages[latest]!.time ?? -Infinity)) latest = index;
  });
  return latest;
}

/**
 * The indexes of the messages to import, in order: the branch from the root to the latest message
 * (or `preferredLeaf`), following parents, as the user last saw it; superseded edits and
 * regenerated answers are left out. Without parent links (older exports, other tools) or with a
 * broken chain, every message, in {@link timeOrder}.
 */
export function claudeMessageOrder(
  messages: readonly OrderedMessage[],
  preferredLeaf: string | null = null,
): number[] {
  const byUuid = new Map<string, number>();
  messages.forEach((message, index) => {
    if (message.uuid !== null) byUuid.set(message.uuid, index);
  });
  const linked =
    messages.length > 0 &&
    byUuid.size === messages.length &&
    messages.some((message) => message.parent !== null && byUuid.has(message.parent));
  if (!linked) return timeOrder(messages);

  const branch: number[] = [];
  const seen = new Set<number>();
  let at: number | undefined = leafOf(messages, byUuid, preferredLeaf);
  while (at !== undefined && !seen.has(at)) {
    seen.add(at);
    branch.push(at);
    const parent: string | null = messages[at]!.parent;
    if (isRoot(parent)) return branch.reverse();
    at = byUuid.get(parent!);
  }
  // A parent the export does not hold, or a loop: keep everything rather than guess.
  return timeOrder(messages);
}
