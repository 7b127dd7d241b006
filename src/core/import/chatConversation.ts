import type { Conversation, ImportFormatId, Role } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { buildConversation, titleFromText } from './conversationBuilder';
import type { DraftMessage } from './conversationBuilder';
import { fingerprint } from './sourceId';
import type { ImportContext } from './types';

/** What a chat file (ChatGPT, Claude, OpenAI messages, ShareGPT) says about one of its chats. */
export interface ChatSource {
  /** The conversation id's prefix: `chatgpt` makes `chatgpt:<id>`. */
  prefix: string;
  format: ImportFormatId;
  /** The chat's own id; without one, a fingerprint of `content` stands in. */
  id: string | number | null | undefined;
  /** What the fingerprint is taken of: the same chat imported again gets the same id. */
  content: unknown;
  title: string | null | undefined;
  /** The title when the chat has none and the user wrote nothing. */
  untitled: string;
}

/**
 * One chat as a conversation: its own id and title, or a fingerprint of its content and the first
 * words the user wrote. `stamper` says whether some times were assumed (read after the stamping).
 */
export function chatConversation(
  chat: ChatSource,
  drafts: readonly DraftMessage[],
  context: ImportContext,
  stamper: { readonly assumedTimestamps: Conversation['assumedTimestamps'] },
): Conversation {
  const ref = chat.id == null ? fingerprint(JSON.stringify(chat.content)) : String(chat.id);
  const firstUser = drafts.find((draft) => draft.role === 'user')?.text;
  return buildConversation(
    {
      id: `${chat.prefix}:${ref}`,
      title: chat.title?.trim() || titleFromText(firstUser, chat.untitled),
      format: chat.format,
      sourceName: context.sourceName,
      sourceRef: ref,
      assumedTimestamps: stamper.assumedTimestamps,
    },
    drafts,
  );
}

/** Who said what in one item of a chat; null for an item that is not a message with text. */
export type Said = { role: Role; speaker: string; text: string } | null;

/**
 * The messages of an undated chat, stamped with assumed times in order; each one's `sourceRef` is
 * its place in the chat's `list` (`messages[3]`).
 */
export function undatedDrafts<T>(
  items: readonly T[],
  list: string,
  stamper: { stamp(role: Role): LocalTime },
  said: (item: T) => Said,
): DraftMessage[] {
  const drafts: DraftMessage[] = [];
  items.forEach((item, index) => {
    const message = said(item);
    if (message === null) return;
    drafts.push({
      ...message,
      timestamp: stamper.stamp(message.role),
      sourceRef: `${list}[${index}]`,
    });
  });
  return drafts;
}
