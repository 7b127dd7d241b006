import type { Conversation, ImportFormatId } from '../conversation';
import type { LocalTime } from '../time/localTime';

export interface ImportOptions {
  /**
   * Multi-speaker sources (LoCoMo, transcripts of named people): the speaker whose lines are
   * "the user", or `'both'` for one conversation per speaker.
   */
  speaker?: string;
  /** Date used for sources without times (the user gave it). */
  fallbackDate?: LocalTime;
  /**
   * The import time, used when a source has messages without times and no fallbackDate is given.
   * Core reads no clock: importing such a source without either throws.
   */
  now?: LocalTime;
  /** IANA zone for sources that store instants (ChatGPT, Claude); defaults to the runtime's. */
  timeZone?: string;
}

export interface ImportResult {
  format: ImportFormatId;
  conversations: Conversation[];
  /** Things the user should know: skipped conversations, assumed speakers, dropped lines … */
  warnings: string[];
}

/** What a format module gets besides its input. */
export interface ImportContext {
  sourceName: string;
  options: ImportOptions;
  warn(message: string): void;
}
