import type { Conversation, Role } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { parseNaiveIso, toPythonIsoformat, weekdayOf } from '../time/localTime';
import { buildConversation, titleFromText } from './conversationBuilder';
import type { DraftMessage } from './conversationBuilder';
import { ImportError } from './importError';
import { fingerprint } from './sourceId';
import { createAssumedStamper, SESSION_STEP_MS } from './stamping';
import type { ImportContext } from './types';

/** The model's own input line: `[2023-04-23T08:57:00.500000, Sun] 2.User: text`. */
const DIMMEM_LINE = /^\[([^\],]+),\s*([A-Za-z]{3})\]\s*(\d+)\.\s*([^:]{1,40}?):\s?(.*)$/;

export const looksLikeDimMemLines = (text: string): boolean => {
  const first = text.split('\n').find((line) => line.trim() !== '');
  return first !== undefined && DIMMEM_LINE.test(first.trim());
};

const roleOf = (speaker: string): Role => {
  const name = speaker.toLowerCase();
  return name === 'user' ? 'user' : name === 'assistant' ? 'assistant' : 'other';
};

/**
 * Text in the model's line format, timestamps kept exactly (fractions included). A line that is
 * not a message line continues the message above it. The line numbers in the text are ignored:
 * prompts renumber per window.
 */
export function importDimMemLines(text: string, context: ImportContext): Conversation[] {
  const drafts: DraftMessage[] = [];
  const stamper = createAssumedStamper(context.options);
  let previous: LocalTime | null = null;
  text.split('\n').forEach((raw, index) => {
    const lineNumber = index + 1;
    const match = DIMMEM_LINE.exec(raw.trim());
    const current = drafts[drafts.length - 1];
    if (!match) {
      if (current && raw.trim() !== '') current.text += `\n${raw.trim()}`;
      return;
    }
    const [, stampText = '', weekday = '', , speaker = '', content = ''] = match;
    const role = roleOf(speaker.trim());
    let timestamp = parseNaiveIso(stampText);
    if (timestamp === null) {
      timestamp = previous === null ? stamper.stamp(role) : previous + SESSION_STEP_MS;
      context.warn(
        `line ${lineNumber}: unreadable timestamp "${stampText}"; used ${toPythonIsoformat(timestamp)}`,
      );
    } else if (weekdayOf(timestamp).toLowerCase() !== weekday.toLowerCase()) {
      context.warn(
        `line ${lineNumber}: ${stampText} is a ${weekdayOf(timestamp)}, not a ${weekday}; kept the date`,
      );
    }
    previous = timestamp;
    drafts.push({
      role,
      speaker: speaker.trim(),
      text: content.trim(),
      timestamp,
      sourceRef: `line ${lineNumber}`,
    });
  });
  const kept = drafts.filter((draft) => draft.text.trim() !== '');
  if (kept.length === 0) {
    throw new ImportError(context.sourceName, ['dimmem-lines'], 'no message lines with text');
  }
  const ref = fingerprint(text.trim());
  return [
    buildConversation(
      {
        id: `dimmem:${ref}`,
        title: titleFromText(kept.find((draft) => draft.role === 'user')?.text, 'Conversation'),
        format: 'dimmem-lines',
        sourceName: context.sourceName,
        sourceRef: ref,
        assumedTimestamps: stamper.assumedTimestamps,
      },
      kept,
    ),
  ];
}
