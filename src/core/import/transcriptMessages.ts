import type { LocalTime } from '../time/localTime';
import { localTimeFromParts } from '../time/localTime';
import type { Line } from './transcriptLines';
import { classifyLines } from './transcriptLines';
import type { PastedStamp } from './transcriptStamps';
import { parsePastedStamp } from './transcriptStamps';
import type { DateOrder } from './types';

/**
 * A transcript's classified lines turned into messages: which labels are speakers, where each
 * message starts and ends, and its time (a date carried over from earlier lines, a clock that
 * passes midnight).
 */

export const USER_NAMES = new Set(['user', 'human', 'me', 'you']);
export const ASSISTANT_NAMES = new Set([
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
const DAY_MS = 86_400_000;

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

export interface ParsedTranscript {
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

export function parseTranscript(
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
