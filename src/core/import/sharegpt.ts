import { z } from 'zod';

import type { Role } from '../conversation';
import { buildConversation, titleFromText } from './conversationBuilder';
import type { DraftMessage } from './conversationBuilder';
import { ItemProblem } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord, parseWith } from './schemaIssue';
import { fingerprint } from './sourceId';
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
    const drafts: DraftMessage[] = [];
    data.conversations.forEach((turn, turnIndex) => {
      const role = roleOf(turn.from);
      const text = turn.value?.trim() ?? '';
      if (!role || text === '') return;
      drafts.push({
        role,
        speaker: role === 'user' ? 'User' : role === 'assistant' ? 'Assistant' : turn.from,
        text,
        timestamp: stamper.stamp(role),
        sourceRef: `conversations[${turnIndex}]`,
      });
    });
    if (drafts.length === 0) throw new ItemProblem('it has no messages with text');
    const ref = data.id == null ? fingerprint(JSON.stringify(data.conversations)) : String(data.id);
    const firstUser = drafts.find((draft) => draft.role === 'user')?.text;
    return [
      buildConversation(
        {
          id: `sharegpt:${ref}`,
          title:
            data.title?.trim() || titleFromText(firstUser, `ShareGPT conversation ${index + 1}`),
          format: 'sharegpt',
          sourceName: context.sourceName,
          sourceRef: ref,
          assumedTimestamps: stamper.assumedTimestamps,
        },
        drafts,
      ),
    ];
  },
};
