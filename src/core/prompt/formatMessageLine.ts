import type { Message } from '../conversation';
import { toPythonIsoformat, weekdayOf } from '../time/localTime';
import { truncateContent } from './truncateContent';

/**
 * One input line as the model was trained on it:
 * `[2023-04-23T08:57:01, Sun] 3.User: …`, where `numberInWindow` counts 1, 2, 3 … inside the window.
 * The speaker is always `User`: only the user's messages become lines.
 */
export function formatMessageLine(message: Message, numberInWindow: number): string {
  if (message.timestamp === null) {
    throw new Error(
      `Message ${message.id} has no timestamp; importers must stamp every user message before prompting.`,
    );
  }
  const time = message.timestamp;
  const content = truncateContent(message.text.trim());
  return `[${toPythonIsoformat(time)}, ${weekdayOf(time)}] ${numberInWindow}.User: ${content}`;
}
