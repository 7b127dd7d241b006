import { z } from 'zod';

import type { Role } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { buildConversation } from './conversationBuilder';
import type { DraftMessage } from './conversationBuilder';
import { ItemProblem } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord, parseWith } from './schemaIssue';
import { parseLocomoDate } from './sessionDates';
import { fingerprint } from './sourceId';
import { chooseUserSpeakers } from './speakerChoice';
import { stampSession } from './stamping';

const conversationSchema = z.looseObject({ speaker_a: z.string(), speaker_b: z.string() });

const turnSchema = z.object({
  speaker: z.string(),
  dia_id: z.string().nullish(),
  text: z.string().nullish(),
  blip_caption: z.string().nullish(),
});

/** The benchmark's `locomo10.json` wraps each conversation in a sample; the files here do not. */
const sampleSchema = z.looseObject({
  sample_id: z.union([z.string(), z.number()]).nullish(),
  conversation: conversationSchema,
});

interface Session {
  number: number;
  start: LocalTime;
  turns: { speaker: string; ref: string; text: string }[];
}

function unwrap(record: unknown): {
  sampleId: string | null;
  conversation: Record<string, unknown>;
} {
  if (isRecord(record) && isRecord(record.conversation)) {
    const sample = parseWith(sampleSchema, record, 'not a LoCoMo sample');
    return {
      sampleId: sample.sample_id == null ? null : String(sample.sample_id),
      conversation: sample.conversation,
    };
  }
  return {
    sampleId: null,
    conversation: parseWith(conversationSchema, record, 'not a LoCoMo conversation'),
  };
}

/** An image turn keeps what it showed, as text the model can read. */
const turnText = (turn: z.infer<typeof turnSchema>): string => {
  const text = turn.text?.trim() ?? '';
  const caption = turn.blip_caption?.trim();
  if (!caption) return text;
  return `${text} [shares ${caption}]`.trim();
};

function readSessions(
  conversation: Record<string, unknown>,
  warn: (message: string) => void,
): Session[] {
  const numbers = Object.keys(conversation)
    .map((key) => /^session_(\d+)$/.exec(key)?.[1])
    .filter((number): number is string => number !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const sessions: Session[] = [];
  for (const number of numbers) {
    const turnsValue = conversation[`session_${number}`];
    const dateText = conversation[`session_${number}_date_time`];
    const start = typeof dateText === 'string' ? parseLocomoDate(dateText) : null;
    if (start === null) {
      warn(`session ${number} skipped: unreadable date ${JSON.stringify(dateText ?? null)}`);
      continue;
    }
    if (!Array.isArray(turnsValue)) {
      warn(`session ${number} skipped: its turns are not a list`);
      continue;
    }
    const turns: Session['turns'] = [];
    turnsValue.forEach((value, index) => {
      const parsed = turnSchema.safeParse(value);
      if (!parsed.success) {
        warn(`session ${number}, turn ${index + 1} skipped: not a {speaker, text} turn`);
        return;
      }
      const text = turnText(parsed.data);
      if (text === '') return;
      turns.push({
        speaker: parsed.data.speaker,
        ref: parsed.data.dia_id ?? `D${number}:${index + 1}`,
        text,
      });
    });
    sessions.push({ number, start, turns });
  }
  return sessions;
}

/**
 * A LoCoMo conversation between two named people, one conversation per chosen speaker (the
 * option `speaker`, default `speaker_a`; `'both'` gives one each). The chosen speaker's turns are
 * role `user`, the other's `other`. Each session is stamped with the session rule: the chosen
 * speaker's k-th turn at the session's time + 0.5 s × (k − 1), the other's at the time of the
 * turn before it.
 */
export const locomoFormat: JsonFormat = {
  id: 'locomo',
  looksLike: (record) =>
    isRecord(record) &&
    ((typeof record.speaker_a === 'string' && typeof record.speaker_b === 'string') ||
      (isRecord(record.conversation) && typeof record.conversation.speaker_a === 'string')),
  speakers(record) {
    const { conversation } = unwrap(record);
    return [String(conversation.speaker_a), String(conversation.speaker_b)];
  },
  convert(record, index, context) {
    const { sampleId, conversation } = unwrap(record);
    const speakerA = String(conversation.speaker_a);
    const speakerB = String(conversation.speaker_b);
    const label = sampleId ?? `conversation ${index + 1}`;
    const sessions = readSessions(conversation, (message) => context.warn(`${label}: ${message}`));
    if (sessions.every((session) => session.turns.length === 0)) {
      throw new ItemProblem(`${label}: no dated session with turns`);
    }
    const users = chooseUserSpeakers(
      [speakerA, speakerB],
      context.options.speaker,
      speakerA,
      context.sourceName,
      'locomo',
    );
    const ref =
      sampleId ??
      fingerprint(JSON.stringify(sessions.map((session) => [session.start, session.turns])));
    return users.map((user) => {
      const drafts: DraftMessage[] = [];
      for (const session of sessions) {
        const roles = session.turns.map((turn): Role => (turn.speaker === user ? 'user' : 'other'));
        const times = stampSession(roles, session.start);
        session.turns.forEach((turn, turnIndex) => {
          drafts.push({
            role: roles[turnIndex]!,
            speaker: turn.speaker,
            text: turn.text,
            timestamp: times[turnIndex]!,
            sourceRef: turn.ref,
          });
        });
      }
      return buildConversation(
        {
          id: `locomo:${ref}:${user}`,
          title: `${speakerA} & ${speakerB} (user: ${user})`,
          format: 'locomo',
          sourceName: context.sourceName,
          sourceRef: ref,
        },
        drafts,
      );
    });
  },
};
