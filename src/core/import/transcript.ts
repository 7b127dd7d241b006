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
import { numericDateParts, parsePastedStamp } from './transcriptStamps';
import type { AppliedDateOrder, DateOrder, ImportContext, ImportOptions } from './types';

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

/**
 * Characters with no look that editors and chat apps put before names: zero-width space, word
 * joiner, byte-order mark, soft hyphen, direction marks and embeddings. Joiners (U+200C, U+200D)
 * stay: emoji and some scripts need them.
 */
const INVISIBLE = /[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
/** A line's first word that can start a date: a number, or a month or weekday name. */
const DATE_START =
  /^(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?$)/i;
/** A first word that only a date or time would have: `31/31/2024`, `44:99`, `2024-13-01`. */
const STAMP_LIKE = /^\d{1,4}[/.:-]\d/;
/** Words a date or time may hold besides numbers. */
const STAMP_WORD =
  /^(?:[ap]\.?m\.?|at|on|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?),?$/i;
const SEPARATOR = /^\s*(?:[-–—|,]\s*)?/;
const MAX_STAMP_WORDS = 8;
const FENCE = /^\s*(?:```|~~~)/;

interface SpeakerLine {
  name: string;
  text: string;
  stamp: PastedStamp | null;
  /** A leading date or time that was not understood (the line is still a speaker line). */
  unreadStamp?: string;
}

function speakerOf(
  rest: string,
  stamp: PastedStamp | null,
  dateOrder: DateOrder,
): SpeakerLine | null {
  const match = SPEAKER.exec(rest.trim());
  if (!match) return null;
  let name = match[1]!.replace(/ said$/i, '').trim();
  const trailing = match[2];
  if (trailing !== undefined) {
    const parsed = parsePastedStamp(trailing, dateOrder);
    if (parsed) stamp ??= parsed;
    else name = `${name} (${trailing.trim()})`;
  }
  if (name === '' || name.length > MAX_NAME_LENGTH) return null;
  return { name, text: match[3] ?? '', stamp };
}

/** The line's first words with where each ends, for reading a stamp of several words. */
function leadingWords(line: string): { word: string; end: number }[] {
  const words: { word: string; end: number }[] = [];
  for (const match of line.matchAll(/\S+/g)) {
    words.push({ word: match[0], end: match.index + match[0].length });
    if (words.length > MAX_STAMP_WORDS) break;
  }
  return words;
}

/**
 * `March 1, 2024 at 9:25 AM Ben: …`, `9:35 am on 1 March, 2024 Ben: …`: the longest run of first
 * words that reads as a stamp, followed by `Name:`.
 */
function bareStampSpeaker(line: string, dateOrder: DateOrder): SpeakerLine | null {
  const words = leadingWords(line);
  if (words.length < 2 || !DATE_START.test(words[0]!.word)) return null;
  for (let k = Math.min(MAX_STAMP_WORDS, words.length - 1); k >= 1; k--) {
    const stampText = line.slice(0, words[k - 1]!.end).replace(/[\s\-–—|,]+$/, '');
    const stamp = parsePastedStamp(stampText, dateOrder);
    if (!stamp) continue;
    const speaker = speakerOf(
      line.slice(words[k - 1]!.end).replace(SEPARATOR, ''),
      stamp,
      dateOrder,
    );
    if (speaker) return speaker;
  }
  return null;
}

/** `31/31/2024 10:01 Ben: …`: a stamp-like start that does not read, before `Name:`. */
function unreadStampSpeaker(line: string, dateOrder: DateOrder): SpeakerLine | null {
  const words = leadingWords(line);
  if (words.length < 2 || !STAMP_LIKE.test(words[0]!.word)) return null;
  for (let k = 1; k < Math.min(MAX_STAMP_WORDS, words.length); k++) {
    const word = words[k - 1]!.word;
    if (k > 1 && !/\d/.test(word) && !STAMP_WORD.test(word)) return null;
    const speaker = speakerOf(
      line.slice(words[k - 1]!.end).replace(SEPARATOR, ''),
      null,
      dateOrder,
    );
    if (speaker) {
      const unreadStamp = line
        .slice(0, words[k - 1]!.end)
        .replace(/[\s\-–—|,]+$/, '')
        .trim();
      return { ...speaker, unreadStamp };
    }
  }
  return null;
}

function readSpeakerLine(line: string, dateOrder: DateOrder): SpeakerLine | null {
  const bracketed = BRACKETED_STAMP.exec(line);
  if (bracketed) {
    const stamp = parsePastedStamp(bracketed[1]!, dateOrder);
    const speaker = speakerOf(bracketed[2]!, stamp, dateOrder);
    if (speaker && stamp) return speaker;
    // `[31/31/2024 10:00] Anna: …` is a speaker line whose stamp is not understood.
    if (speaker && /\d/.test(bracketed[1]!)) {
      return { ...speaker, unreadStamp: bracketed[1]!.trim() };
    }
  }
  const bare = BARE_STAMP.exec(line);
  if (bare) {
    const stamp = parsePastedStamp(bare[1]!, dateOrder);
    const speaker = stamp ? speakerOf(bare[2]!, stamp, dateOrder) : null;
    if (speaker) return speaker;
  }
  return (
    bareStampSpeaker(line, dateOrder) ??
    speakerOf(line, null, dateOrder) ??
    unreadStampSpeaker(line, dateOrder)
  );
}

/** A line that is only a date or time (`--- March 1, 2024 ---`): context for the next messages. */
const readStampLine = (line: string, dateOrder: DateOrder): PastedStamp | null =>
  parsePastedStamp(line.replace(STAMP_DECORATION, ''), dateOrder);

type Line =
  | { kind: 'blank' }
  | { kind: 'stamp'; stamp: PastedStamp }
  | ({ kind: 'speaker'; raw: string } & SpeakerLine)
  | { kind: 'text'; raw: string };

function classify(raw: string, dateOrder: DateOrder): Line {
  if (raw.trim() === '') return { kind: 'blank' };
  const visible = raw.replace(INVISIBLE, '');
  const speaker = readSpeakerLine(visible, dateOrder);
  if (speaker) return { kind: 'speaker', raw: visible, ...speaker };
  const stamp = readStampLine(visible, dateOrder);
  return stamp ? { kind: 'stamp', stamp } : { kind: 'text', raw };
}

/**
 * Every line classified. Lines inside ``` or ~~~ code fences are text: a pasted chat log inside
 * an answer does not start turns.
 */
function classifyLines(text: string, dateOrder: DateOrder): Line[] {
  let inFence = false;
  return text.split('\n').map((raw) => {
    if (FENCE.test(raw)) {
      inFence = !inFence;
      return { kind: 'text', raw };
    }
    return inFence ? { kind: 'text', raw } : classify(raw, dateOrder);
  });
}

/** `03/04/2024` at a line's start, after any brackets or decoration. */
const LEADING_NUMERIC_DATE = /^[\s\-–—=*#_|[\]()]*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})/;

/**
 * How a text's numeric dates are read: as the user chose, else day first unless some date only
 * reads month first (`03/25/2024`); null when the text has none.
 */
export function transcriptDateOrder(
  text: string,
  options: Pick<ImportOptions, 'dateOrder'> = {},
): (AppliedDateOrder & { conflicting: boolean }) | null {
  let seen = false;
  let dayOver12 = false;
  let monthOver12 = false;
  for (const line of text.split('\n')) {
    const match = LEADING_NUMERIC_DATE.exec(line.replace(INVISIBLE, ''));
    const parts = match ? numericDateParts(match[1]!) : null;
    if (!parts) continue;
    seen = true;
    if (parts[0] > 12 && parts[1] <= 12) dayOver12 = true;
    if (parts[1] > 12 && parts[0] <= 12) monthOver12 = true;
  }
  if (!seen) return null;
  const conflicting = dayOver12 && monthOver12;
  if (options.dateOrder) return { order: options.dateOrder, reason: 'chosen', conflicting };
  if (monthOver12 && !dayOver12)
    return { order: 'month-first', reason: 'part over 12', conflicting };
  return {
    order: 'day-first',
    reason: dayOver12 && !conflicting ? 'part over 12' : 'default',
    conflicting,
  };
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
  /** Speaker lines whose leading date or time was not understood, as warnings. */
  unreadStamps: string[];
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

function unreadStampWarning(lineNumber: number, stamp: string, dateOrder: DateOrder): string {
  const other: DateOrder = dateOrder === 'day-first' ? 'month-first' : 'day-first';
  const orderNote = parsePastedStamp(stamp, other)
    ? ` (dates are read ${dateOrder === 'day-first' ? 'day' : 'month'} first)`
    : '';
  return `line ${lineNumber}: "${stamp}" was not understood as a date or time${orderNote}; the message has no time of its own`;
}

function parseTranscript(
  text: string,
  assumedDay: LocalTime,
  dateOrder: DateOrder,
): ParsedTranscript {
  const lines = classifyLines(text, dateOrder);
  const unreadStamps: string[] = [];
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
      if (line.unreadStamp !== undefined) {
        unreadStamps.push(unreadStampWarning(index + 1, line.unreadStamp, dateOrder));
      }
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
  return { messages, speakers: order, preambleLines, usedAssumedDay, unreadStamps };
}

function hasSpeakerLine(text: string): boolean {
  let inFence = false;
  for (const raw of text.split('\n')) {
    if (FENCE.test(raw)) inFence = !inFence;
    else if (!inFence && raw.trim() !== '' && classify(raw, 'day-first').kind === 'speaker') {
      return true;
    }
  }
  return false;
}

/** True when some line reads `Name: text` (possibly with a timestamp). */
export const looksLikeTranscript = hasSpeakerLine;

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
