import type { Message } from '../conversation';

/** The user messages of one prompt. Its first `overlap` messages are context, not sources. */
export interface PromptWindow {
  /** Counts from 0 in conversation order. */
  index: number;
  /** User messages, every one with a timestamp. */
  messages: Message[];
  overlap: number;
}
