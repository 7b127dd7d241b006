import type { PastedStamp } from './transcriptStamps';
import { parsePastedStamp } from './transcriptStamps';
import type { DateOrder } from './types';

/**
 * A pasted transcript's lines, each classified on its own: a speaker line (`Name: text`, with or
 * without a date or time before or after the name), a line that is only a date or time, a blank
 * line, or text continuing the message above.
 */

const MAX_NAME_LENGTH = 40;

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
export const INVISIBLE = /[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
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

export interface SpeakerLine {
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

export type Line =
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
export function classifyLines(text: string, dateOrder: DateOrder): Line[] {
  let inFence = false;
  return text.split('\n').map((raw) => {
    if (FENCE.test(raw)) {
      inFence = !inFence;
      return { kind: 'text', raw };
    }
    return inFence ? { kind: 'text', raw } : classify(raw, dateOrder);
  });
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
