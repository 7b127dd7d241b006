import { z } from 'zod';

import type { LocalTime } from '../time/localTime';
import { buildConversation, titleFromText } from './conversationBuilder';
import type { DraftMessage } from './conversationBuilder';
import { ItemProblem } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord, parseWith } from './schemaIssue';
import { fingerprint } from './sourceId';
import { createAssumedStamper, localTimeFromIsoInstant } from './stamping';

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().nullish() });

const chatMessageSchema = z.object({
  uuid: z.string().nullish(),
  sender: z.string(),
  text: z.string().nullish(),
  content: z.array(contentPartSchema).nullish(),
  created_at: z.string().nullish(),
});

const conversationSchema = z.object({
  uuid: z.string().nullish(),
  name: z.string().nullish(),
  created_at: z.string().nullish(),
  chat_messages: z.array(chatMessageSchema),
});

type ClaudeMessage = z.infer<typeof chatMessageSchema>;

/** Newer exports leave `text` empty and keep the words in `content` parts (skipping tool use). */
const textOf = (message: ClaudeMessage): string => {
  const text = message.text?.trim() ?? '';
  if (text !== '') return text;
  return (message.content ?? [])
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text!.trim())
    .filter((part) => part !== '')
    .join('\n\n');
};

export const claudeFormat: JsonFormat = {
  id: 'claude-export',
  looksLike: (record) => isRecord(record) && Array.isArray(record.chat_messages),
  convert(record, _index, context) {
    const data = parseWith(conversationSchema, record, 'not a Claude conversation');
    const { timeZone } = context.options;
    const conversationTime: LocalTime | null = data.created_at
      ? localTimeFromIsoInstant(data.created_at, timeZone)
      : null;
    const assumed = createAssumedStamper(context.options);
    const drafts: DraftMessage[] = [];
    data.chat_messages.forEach((message, index) => {
      const text = textOf(message);
      if (text === '') return;
      const role =
        message.sender === 'human'
          ? 'user'
          : message.sender === 'assistant'
            ? 'assistant'
            : 'other';
      let timestamp =
        (message.created_at ? localTimeFromIsoInstant(message.created_at, timeZone) : null) ??
        conversationTime;
      timestamp ??= assumed.stamp(role);
      drafts.push({
        role,
        speaker: role === 'user' ? 'User' : role === 'assistant' ? 'Claude' : message.sender,
        text,
        timestamp,
        sourceRef: message.uuid ?? `chat_messages[${index}]`,
      });
    });
    if (drafts.length === 0) throw new ItemProblem('it has no messages with text');
    const conversationId = data.uuid ?? fingerprint(JSON.stringify(drafts));
    const title =
      data.name?.trim() ||
      titleFromText(drafts.find((d) => d.role === 'user')?.text, 'Claude conversation');
    return [
      buildConversation(
        {
          id: `claude:${conversationId}`,
          title,
          format: 'claude-export',
          sourceName: context.sourceName,
          sourceRef: conversationId,
          assumedTimestamps: assumed.assumedTimestamps,
        },
        drafts,
      ),
    ];
  },
};
