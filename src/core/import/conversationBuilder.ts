import type { Conversation, Message } from '../conversation';
import { countCodePoints, indexAfterCodePoints } from '../text/codePoints';

export type DraftMessage = Omit<Message, 'id'>;

type ConversationFields = Omit<Conversation, 'messages' | 'participants'>;

/**
 * Windows line ends (`\r\n`) and lone `\r` inside a message become `\n`: JSON exports keep them
 * escaped inside strings, where normalising the file's own line ends cannot reach them.
 */
const unifyLineEnds = (text: string) => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);

/**
 * Numbers messages `m0, m1, …` in order, unifies their line ends, and lists participants in order
 * of first appearance. Every importer builds its conversations here.
 */
export function buildConversation(
  fields: ConversationFields,
  drafts: readonly DraftMessage[],
): Conversation {
  const messages: Message[] = drafts.map((draft, index) => ({
    id: `m${index}`,
    ...draft,
    text: unifyLineEnds(draft.text),
  }));
  const participants = [...new Set(messages.map((message) => message.speaker))];
  const conversation: Conversation = { ...fields, participants, messages };
  if (fields.assumedTimestamps === undefined) delete conversation.assumedTimestamps;
  return conversation;
}

const TITLE_LENGTH = 60;

/**
 * A title from the first words of a message, for sources that have none. The text is walked, not
 * split or copied: a message may be hundreds of megabytes on one line.
 */
export function titleFromText(text: string | undefined, fallback: string): string {
  const trimmed = (text ?? '').trim();
  const newline = trimmed.indexOf('\n');
  const line = (newline === -1 ? trimmed : trimmed.slice(0, newline)).trim();
  if (line === '') return fallback;
  return countCodePoints(line, TITLE_LENGTH + 1) <= TITLE_LENGTH
    ? line
    : `${line.slice(0, indexAfterCodePoints(line, TITLE_LENGTH - 1)).trimEnd()}…`;
}
