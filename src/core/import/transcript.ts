import type { Conversation, Role } from '../conversation';
import { buildConversation, titleFromText } from './conversationBuilder';
import { ImportError } from './importError';
import { fingerprint } from './sourceId';
import { chooseUserSpeakers } from './speakerChoice';
import { assumedDate } from './stamping';
import { fillTimes } from './textTimes';
import { transcriptDateOrder } from './transcriptDateOrder';
import { ASSISTANT_NAMES, parseTranscript, USER_NAMES } from './transcriptMessages';
import type { ImportContext } from './types';

/** Speakers of a transcript, for the UI to offer a choice; null when one is clearly the user. */
export function transcriptSpeakers(text: string): string[] | null {
  const { speakers } = parseTranscript(text, 0, transcriptDateOrder(text)?.order ?? 'day-first');
  if (speakers.length === 0 || speakers.some((name) => USER_NAMES.has(name.toLowerCase())))
    return null;
  return speakers;
}

const roleFor = (speaker: string, user: string): Role => {
  if (speaker === user) return 'user';
  return ASSISTANT_NAMES.has(speaker.toLowerCase()) ? 'assistant' : 'other';
};

/**
 * Pasted `Name: message` transcripts. Lines that are not a speaker label continue the message
 * above them (multi-line messages). The user is the `speaker` option, else the first speaker
 * named User/Human/Me/You, else the first speaker (with a warning).
 */
export function importTranscript(text: string, context: ImportContext): Conversation[] {
  const { options, sourceName } = context;
  const assumed = assumedDate(options);
  const dateOrder = transcriptDateOrder(text, options);
  if (dateOrder?.conflicting) {
    context.warn(
      `some dates read only day first (25/03/2024) and others only month first (03/25/2024); all are read ${dateOrder.order === 'day-first' ? 'day' : 'month'} first, the others have no time of their own`,
    );
  }
  const parsed = parseTranscript(text, assumed.date, dateOrder?.order ?? 'day-first');
  if (parsed.messages.length === 0) {
    throw new ImportError(
      sourceName,
      ['dimmem-lines', 'transcript'],
      'found no "Name: message" lines',
    );
  }
  for (const warning of parsed.unreadStamps) context.warn(warning);
  if (parsed.preambleLines > 0) {
    context.warn(`${parsed.preambleLines} line(s) before the first "Name:" line were ignored`);
  }
  const namedUser = parsed.speakers.find((name) => USER_NAMES.has(name.toLowerCase()));
  const defaultUser = namedUser ?? parsed.speakers[0]!;
  const users = chooseUserSpeakers(
    parsed.speakers,
    options.speaker,
    defaultUser,
    sourceName,
    'transcript',
  );
  if (options.speaker === undefined && namedUser === undefined && parsed.speakers.length > 1) {
    context.warn(
      `took "${defaultUser}", the first speaker, as the user (speakers: ${parsed.speakers.join(', ')}); choose another speaker to change this`,
    );
  }
  const ref = fingerprint(text.trim());
  return users.map((user) => {
    const roles = parsed.messages.map((message) => roleFor(message.speaker, user));
    const { times, usedAssumed } = fillTimes(
      roles,
      parsed.messages.map((message) => message.time),
      assumed.date,
    );
    const drafts = parsed.messages.map((message, index) => ({
      role: roles[index]!,
      speaker: message.speaker,
      text: message.lines.join('\n').trim(),
      timestamp: times[index]!,
      sourceRef: `line ${message.lineNumber}`,
    }));
    const firstUser = drafts.find((draft) => draft.role === 'user')?.text;
    return buildConversation(
      {
        id: `transcript:${ref}:${user}`,
        title: titleFromText(firstUser, 'Pasted conversation'),
        format: 'transcript',
        sourceName,
        sourceRef: ref,
        assumedTimestamps: usedAssumed || parsed.usedAssumedDay ? assumed : undefined,
      },
      drafts.filter((draft) => draft.text !== ''),
    );
  });
}
