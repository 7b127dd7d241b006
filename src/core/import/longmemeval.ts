import { z } from 'zod';

import type { Role } from '../conversation';
import { buildConversation } from './conversationBuilder';
import type { DraftMessage } from './conversationBuilder';
import { ItemProblem } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord, parseWith } from './schemaIssue';
import { parseLongMemEvalDate } from './sessionDates';
import { fingerprint } from './sourceId';
import { stampSession } from './stamping';

const turnSchema = z.object({ role: z.string(), content: z.string() });

const itemSchema = z.object({
  question_id: z.union([z.string(), z.number()]).nullish(),
  question: z.string().nullish(),
  haystack_sessions: z.array(z.array(turnSchema)),
  haystack_dates: z.array(z.string()),
  haystack_session_ids: z.array(z.union([z.string(), z.number()])).nullish(),
});

const roleOf = (role: string): Role =>
  role === 'user' ? 'user' : role === 'assistant' ? 'assistant' : 'other';

/**
 * One LongMemEval item = one conversation of all its haystack sessions, in the item's order.
 * Each session starts at its `haystack_dates` entry and is stamped with the session rule
 * (design §2): the k-th user message at start + 0.5 s × (k − 1), an assistant message at the time
 * of the user message it answers.
 */
export const longMemEvalFormat: JsonFormat = {
  id: 'longmemeval',
  looksLike: (record) => isRecord(record) && Array.isArray(record.haystack_sessions),
  convert(record, index, context) {
    const item = parseWith(itemSchema, record, 'not a LongMemEval item');
    const questionId = item.question_id == null ? null : String(item.question_id);
    const label = questionId ?? `item ${index + 1}`;
    if (item.haystack_dates.length !== item.haystack_sessions.length) {
      context.warn(
        `${label}: ${item.haystack_sessions.length} sessions but ${item.haystack_dates.length} dates; sessions without a date were skipped`,
      );
    }
    const drafts: DraftMessage[] = [];
    item.haystack_sessions.forEach((session, sessionIndex) => {
      const sessionId = String(
        item.haystack_session_ids?.[sessionIndex] ?? `session_${sessionIndex + 1}`,
      );
      const dateText = item.haystack_dates[sessionIndex];
      if (dateText === undefined) return;
      const start = parseLongMemEvalDate(dateText);
      if (start === null) {
        context.warn(`${label}: session ${sessionId} skipped: unreadable date "${dateText}"`);
        return;
      }
      const turns = session
        .map((turn, turnIndex) => ({ ...turn, turnIndex }))
        .filter((turn) => turn.content.trim() !== '');
      const roles = turns.map((turn) => roleOf(turn.role));
      const times = stampSession(roles, start);
      turns.forEach((turn, position) => {
        const role = roles[position]!;
        drafts.push({
          role,
          speaker: role === 'user' ? 'User' : role === 'assistant' ? 'Assistant' : turn.role,
          text: turn.content.trim(),
          timestamp: times[position]!,
          sourceRef: `${sessionId}#${turn.turnIndex}`,
        });
      });
    });
    if (drafts.length === 0) throw new ItemProblem(`${label}: no dated session with messages`);
    const ref =
      questionId ?? fingerprint(JSON.stringify([item.haystack_dates, item.haystack_sessions]));
    return [
      buildConversation(
        {
          id: `longmemeval:${ref}`,
          title: item.question ? `${label}: ${item.question}` : `LongMemEval ${label}`,
          format: 'longmemeval',
          sourceName: context.sourceName,
          sourceRef: ref,
        },
        drafts,
      ),
    ];
  },
};
