import { z } from 'zod';

import type { Role } from '../conversation';
import { chatConversation, undatedDrafts, type ChatSource } from './chatConversation';
import { ItemProblem } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord, parseWith } from './schemaIssue';
import { createAssumedStamper } from './stamping';

const recordSchema = z.object({
  id: z.union([z.string(), z.number()]).nullish(),
  title: z.string().nullish(),
  conversations: z.array(z.object({ from: z.string(), value: z.string().nullish() })),
});

const USER_NAMES = new Set(['human', 'user']);
const ASSISTANT_NAMES = new Set(['gpt', 'assistant', 'chatgpt', 'bard', 'bing', 'model']);

const roleOf = (from: string): Role | null => {
  const name = from.toLowerCase();
  if (name === 'system') return null; // the system prompt is not part of the conversation
  if (USER_NAMES.has(name)) return 'user';
  return ASSISTANT_NAMES.has(name) ? 'assistant' : 'other';
};

/** ShareGPT: `{conversations: [{from: human|gpt|system, value}]}`; undated, so times are assumed. */
export const shareGptFormat: JsonFormat = {
  id: 'sharegpt',
  looksLike: (record) => isRecord(record) && Array.isArray(record.conversations),
  convert(record, index, context) {
    const data = parseWith(recordSchema, record, 'not a ShareGPT conversation');
    const stamper = createAssumedStamper(context.options);
    const drafts = undatedDrafts(data.conversations, 'conversations', stamper, (turn) => {
      const role = roleOf(turn.from);
      const text = turn.value?.trim() ?? '';
      if (!role || text === '') return null;
      const speaker = role === 'user' ? 'User' : role === 'assistant' ? 'Assistant' : turn.from;
      return { role, speaker, text };
    });
    if (drafts.length === 0) throw new ItemProblem('it has no messages with text');
    const chat: ChatSource = {
      prefix: 'sharegpt',
      format: 'sharegpt',
      id: data.id,
      content: data.conversations,
      title: data.title,
      untitled: `ShareGPT conversation ${index + 1}`,
    };
    return [chatConversation(chat, drafts, context, stamper)];
  },
};
