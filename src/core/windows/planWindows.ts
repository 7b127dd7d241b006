import type { Message } from '../conversation';
import type { PromptWindow } from '../prompt/promptWindow';
import {
  defaultWindowSettings,
  validateWindowSettings,
  type WindowSettings,
} from './windowSettings';

/**
 * Importers stamp every user message, so a message without a timestamp (or one that is not the
 * user's) reaching the windows is a bug upstream, not bad input: fail loudly.
 */
export function assertPromptable(messages: readonly Message[]): void {
  for (const message of messages) {
    if (message.role !== 'user') {
      throw new Error(
        `Only user messages are prompted, but ${message.id} has role "${message.role}".`,
      );
    }
    if (message.timestamp === null) {
      throw new Error(
        `User message ${message.id} has no timestamp; importers must stamp every user message.`,
      );
    }
  }
}

/**
 * Windows of `size` messages, each starting `size − overlap` after the previous one. Planning stops
 * after the first window that reaches the last message, so the last window may be shorter and no
 * window is only overlap. Window 0 has no overlap.
 */
export function planWindows(
  userMessages: readonly Message[],
  settings: WindowSettings = defaultWindowSettings,
): PromptWindow[] {
  validateWindowSettings(settings);
  assertPromptable(userMessages);
  const { size, overlap } = settings;
  const step = size - overlap;
  const windows: PromptWindow[] = [];
  for (let start = 0; start < userMessages.length; start += step) {
    const messages = userMessages.slice(start, start + size);
    const index = windows.length;
    windows.push({
      index,
      messages,
      overlap: index === 0 ? 0 : Math.min(overlap, messages.length),
    });
    if (start + messages.length >= userMessages.length) break;
  }
  return windows;
}
