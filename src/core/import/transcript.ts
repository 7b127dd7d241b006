import type { Conversation, Role } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { localTimeFromParts } from '../time/localTime';
import { buildConversation, titleFromText } from './conversationBuilder';
import { ImportError } from './importError';
import { fingerprint } from './sourceId';
import { chooseUserSpeakers } from './speakerChoice';
import { assumedDate } from './stamping';
import { fillTimes } from './textTimes';
import type { PastedStamp } from './transcriptStamps';
import { parsePastedStamp } from './transcriptStamps';
import type { ImportContext } from './types';

const USER_NAMES = new Set(['user', 'human', 'me', 'you']);
const ASSISTANT_NAMES = new Set([
  'assistant',
  'ai',
  'bot',
  'chatgpt',
  'gpt',
  'claude',
  'gemini',
  'bard',
  'copilot',
  'model',
]);
const KNOWN_NAMES = new Set([...USER_NAMES, ...ASSISTANT_NAMES, 'system']);
const MAX_NAME_LENGTH = 40;
const DAY_MS = 86_400_000;

const BRACKETED_STAMP = /^\s*[[(]([^\])]{1,60})[\])]\s*(?:[-–—|]\s*)?(.*)$/;
const BARE_STAMP =
  /^\s*(\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:\s*\([A-Za-z]{3}\))?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)?|\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)\s*(?:[-–—|,]\s*)?(.*)$/;
/** `Name: text`, `**Name:** text`, `Name (2024-03-01 10:00): text`, `You said:` … */
const SPEAKER =
  /^(?:\*\*|__)?([\p{L}][\p{L}\p{N}_.'’-]*(?: [\p{L}\p{N}_.'’-]+){0,3}?)(?:\*\*|__)?\s*(?:[[(]([^\])]{1,60})[\])])?\s*(?:\*\*|__)?:(?:\*\*|__)?(?:\s+(.*))?$/u;
const STAMP_DECORATION = /^[\s\-–—=*#_|[\]()]+|[\s\-–—=*#_|[\]()]+$/g;

interface SpeakerLine {
  name: string;
  text: string;
  stamp: PastedStamp | null;
}

function readSpeakerLine(line: string): SpeakerLine | null {
  let rest = line;
  let stamp: PastedStamp | null = null;
  const leading = BRACKETED_STAMP.exec(line) ?? BARE_STAMP.exec(line);
  if (leading) {
    const parsed = parsePastedStamp(leading[1]!);
    if (parsed) {
      stamp = parsed;
      rest = leading[2]!;
    }
  }
  const match = SPEAKER.exec(rest.trim());
  if (!match) return null;
  let name = match[1]!.replace(/ said$/i, '').trim();
  const trailing = match[2];
  if (trailing !== undefined) {
    const parsed = parsePastedStamp(trailing);
    if (parsed) stamp ??= parsed;
    else name = `${name} (${trailing.trim()})`;
  }
  if (name === '' || name.length > MAX_NAME_LENGTH) return null;
  return { name, text: match[3] ?? '', stamp };
}

/** A line that is only a date or time (`--- March 1, 2024 ---`): context for the next messages. */
const readStampLine = (line: string): PastedStamp | null =>
  parsePastedStamp(line.replace(STAMP_DECORATION, ''));

type Line =
  | { kind: 'blank' }
  | { kind: 'stamp'; stamp: PastedStamp }
  | ({ kind: 'speaker'; raw: string } & SpeakerLine)
  | { kind: 'text'; raw: string };

function classify(raw: string): Line {
  if (raw.trim() === '') return { kind: 'blank' };
  const speaker = readSpeakerLine(raw);
  if (speaker) return { kind: 'speaker', raw, ...speaker };
  const stamp = readStampLine(raw);
  return stamp ? { kind: 'stamp', stamp } : { kind: 'text', raw };
}

/**
 * Which `Name:` labels are speakers. An AI chat (two or more of User, Assistant, Human, AI, …)
 * has only those; otherwise a name must recur, unless fewer than two do (a short exchange).
 * This keeps `Note:` or `Step 1:` inside a long answer from starting a new message.
 */
function speakerNames(lines: Line[]): Set<string> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (line.kind === 'speaker') counts.set(line.name, (counts.get(line.name) ?? 0) + 1);
  }
  const names = [...counts.keys()];
  const known = names.filter((name) => KNOWN_NAMES.has(name.toLowerCase()));
  if (known.length >= 2) return new Set(known);
  const recurring = names.filter((name) => (counts.get(name) ?? 0) >= 2 || known.includes(name));
  return new Set(recurring.length >= 2 ? recurring : names);
}

interface ParsedMessage {
  speaker: string;
  lines: string[];
  lineNumber: number;
  time: LocalTime | null;
}

interface ParsedTranscript {
  messages: ParsedMessage[];
  speakers: string[];
  preambleLines: number;
  usedAssumedDay: boolean;
}

type Day = NonNullable<PastedStamp['date']>;

const timeOf = (day: Day, time: PastedStamp['time']): LocalTime =>
  localTimeFromParts(
    day.year,
    day.month,
    day.day,
    time?.hour,
    time?.minute,
    time?.second,
    time?.millisecond,
  );

function dayOf(time: LocalTime): Day {
  const date = new Date(time);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function parseTranscript(text: string, assumedDay: LocalTime): ParsedTranscript {
  const lines = text.split('\n').map(classify);
  const speakers = speakerNames(lines);
  const messages: ParsedMessage[] = [];
  let preambleLines = 0;
  let currentDay: Day | null = null;
  let pending: PastedStamp | null = null;
  let lastTime: LocalTime | null = null;
  let usedAssumedDay = false;

  const resolve = (stamp: PastedStamp): LocalTime => {
    if (stamp.date) {
      currentDay = stamp.date;
      return timeOf(stamp.date, stamp.time);
    }
    if (!currentDay) usedAssumedDay = true;
    let time = timeOf(currentDay ?? dayOf(assumedDay), stamp.time);
    // A clock that goes backwards without a new date has passed midnight.
    if (lastTime !== null && time < lastTime) time += DAY_MS;
    currentDay = dayOf(time);
    return time;
  };

  lines.forEach((line, index) => {
    const current = messages[messages.length - 1];
    if (line.kind === 'speaker' && speakers.has(line.name)) {
      const stamp = line.stamp ?? pending;
      pending = null;
      const time = stamp ? resolve(stamp) : null;
      if (time !== null) lastTime = time;
      messages.push({ speaker: line.name, lines: [line.text], lineNumber: index + 1, time });
    } else if (line.kind === 'stamp') {
      if (line.stamp.time) pending = line.stamp;
      else currentDay = line.stamp.date;
    } else if (!current) {
      if (line.kind !== 'blank') preambleLines += 1;
    } else {
      current.lines.push(line.kind === 'blank' ? '' : line.raw.trimEnd());
    }
  });
  const order = [...new Set(messages.map((message) => message.speaker))];
  return { messages, speakers: order, preambleLines, usedAssumedDay };
}

const hasSpeakerLine = (text: string): boolean =>
  text.split('\n').some((line) => line.trim() !== '' && readSpeakerLine(line) !== null);

/** True when some line reads `Name: text` (possibly with a timestamp). */
export const looksLikeTranscript = hasSpeakerLine;

/** Speakers of a transcript, for the UI to offer a choice; null when one is clearly the user. */
export function transcriptSpeakers(text: string): string[] | null {
  const { speakers } = parseTranscript(text, 0);
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
  const parsed = parseTranscript(text, assumed.date);
  if (parsed.messages.length === 0) {
    throw new ImportError(
      sourceName,
      ['dimmem-lines', 'transcript'],
      'found no "Name: message" lines',
    );
  }
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
