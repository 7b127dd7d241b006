import { z } from 'zod';

import type { Role } from '../conversation';
import { chatConversation, undatedDrafts, type ChatSource } from './chatConversation';
import { ItemProblem } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord, parseWith } from './schemaIssue';
import { createAssumedStamper } from './stamping';

const partSchema = z.looseObject({ type: z.string().optional(), text: z.string().nullish() });

const messageSchema = z.object({
  role: z.string(),
  name: z.string().nullish(),
  content: z.union([z.string(), z.array(z.union([z.string(), partSchema])), z.null()]).optional(),
});

const recordSchema = z.object({
  id: z.union([z.string(), z.number()]).nullish(),
  title: z.string().nullish(),
  messages: z.array(messageSchema),
});

type OpenAiMessage = z.infer<typeof messageSchema>;

const isMessage = (value: unknown): boolean =>
  isRecord(value) && typeof value.role === 'string' && 'content' in value;

/** `content` is a string, or parts of which the text ones count (`text`, `input_text`, …). */
const textOf = (message: OpenAiMessage): string => {
  const content = message.content;
  if (typeof content === 'string') return content.trim();
  return (content ?? [])
    .map((part) =>
      typeof part === 'string'
        ? part
        : part.type?.endsWith('text') || part.type === undefined
          ? (part.text ?? '')
          : '',
    )
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('\n\n');
};

const roleOf = (role: string): Role | null =>
  role === 'user' ? 'user' : role === 'assistant' ? 'assistant' : null; // system, developer, tool

/**
 * OpenAI-style chats: `{messages: [{role, content}]}`, a list of those, a bare list of messages
 * (one conversation), as JSON or JSON Lines; undated, so times are assumed.
 */
export const openAiMessagesFormat: JsonFormat = {
  id: 'openai-messages',
  looksLike: (record) =>
    (isRecord(record) && Array.isArray(record.messages)) ||
    isMessage(record) ||
    (Array.isArray(record) && isMessage(record[0])),
  records(value) {
    if (Array.isArray(value) && value.length > 0 && value.every(isMessage))
      return [{ messages: value }];
    if (Array.isArray(value))
      return value.map((item) => (Array.isArray(item) ? { messages: item } : item));
    return [value];
  },
  convert(record, index, context) {
    const data = parseWith(recordSchema, record, 'not an OpenAI-style chat');
    const stamper = createAssumedStamper(context.options);
    const drafts = undatedDrafts(data.messages, 'messages', stamper, (message) => {
      const role = roleOf(message.role);
      const text = textOf(message);
      if (!role || text === '') return null;
      const speaker = message.name?.trim() || (role === 'user' ? 'User' : 'Assistant');
      return { role, speaker, text };
    });
    if (drafts.length === 0)
      throw new ItemProblem('it has no user or assistant messages with text');
    const chat: ChatSource = {
      prefix: 'openai',
      format: 'openai-messages',
      id: data.id,
      content: data.messages,
      title: data.title,
      untitled: `Chat ${index + 1}`,
    };
    return [chatConversation(chat, drafts, context, stamper)];
  },
};
