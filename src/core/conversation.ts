import type { LocalTime } from './time/localTime';

/** Only `user` messages become prompt lines; the others are kept for provenance and display. */
export type Role = 'user' | 'assistant' | 'other';

export interface Message {
  /** Stable within its conversation, e.g. `m0`, `m1`, … in conversation order. */
  id: string;
  role: Role;
  /** Display name: "User", "Assistant", "Caroline", … */
  speaker: string;
  text: string;
  /** Naive local wall-clock time, or null when the source has none. */
  timestamp: LocalTime | null;
  /** Where the message came from in the source, e.g. a ChatGPT node id or LoCoMo `D1:3`. */
  sourceRef: string;
  /**
   * How the message was given when it was not typed: `voice` is a transcription of ChatGPT's
   * voice mode, so a preview can say the words were spoken (and may be misheard). Absent: typed.
   */
  input?: 'voice';
}

export type ImportFormatId =
  | 'dimmem-lines'
  | 'transcript'
  | 'chatgpt-export'
  | 'claude-export'
  | 'longmemeval'
  | 'locomo'
  | 'sharegpt'
  | 'openai-messages';

export interface Conversation {
  /** Deterministic id derived from the source (so re-imports are recognisable), e.g. `chatgpt:<id>`. */
  id: string;
  title: string;
  participants: string[];
  messages: Message[];
  format: ImportFormatId;
  /** File name or "pasted text". */
  sourceName: string;
  /** Reference into the source (conversation id, LoCoMo sample, LongMemEval question id …). */
  sourceRef: string;
  /**
   * Set when some user messages had no timestamp and were stamped with an assumed date
   * (one the user gave, or the import time). The UI says so.
   */
  assumedTimestamps?: { date: LocalTime; reason: 'user-given' | 'import-time' };
}

export const userMessages = (conversation: Conversation): Message[] =>
  conversation.messages.filter((message) => message.role === 'user');
