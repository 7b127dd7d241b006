import type { Conversation } from '../conversation';
import { userMessages } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { timeSpan } from '../timeSpan';

/** What a preview shows of one imported conversation, before anything is saved. */
export interface SummaryRow {
  id: string;
  title: string;
  messageCount: number;
  userMessageCount: number;
  first: LocalTime | null;
  last: LocalTime | null;
  /** Some messages had no time of their own and carry an assumed date. */
  assumedDate: boolean;
  /** Messages that are ChatGPT voice mode's transcription of what was said. */
  voiceMessages: number;
}

export function summaryRowOf(conversation: Conversation): SummaryRow {
  const span = timeSpan(conversation.messages);
  let voiceMessages = 0;
  for (const message of conversation.messages) if (message.input === 'voice') voiceMessages++;
  return {
    id: conversation.id,
    title: conversation.title,
    messageCount: conversation.messages.length,
    userMessageCount: userMessages(conversation).length,
    first: span?.first ?? null,
    last: span?.last ?? null,
    assumedDate: conversation.assumedTimestamps !== undefined,
    voiceMessages,
  };
}
