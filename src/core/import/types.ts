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
  /**
   * How transcripts' numeric dates such as `03/04/2024` are read. Without it: day first, unless
   * a second part over 12 (`03/25/2024`) shows the source writes the month first.
   */
  dateOrder?: DateOrder;
}

export type DateOrder = 'day-first' | 'month-first';

/** The rule a transcript's numeric dates were read with, and why, for the preview to show. */
export interface AppliedDateOrder {
  order: DateOrder;
  /** `chosen`: the dateOrder option; `part over 12`: a date that reads one way only; else the default. */
  reason: 'chosen' | 'part over 12' | 'default';
}

export interface ImportResult {
  format: ImportFormatId;
  conversations: Conversation[];
  /** Things the user should know: skipped conversations, assumed speakers, dropped lines … */
  warnings: string[];
  /** Set for a transcript with numeric dates (`03/04/2024`): how they were read. */
  dateOrder?: AppliedDateOrder;
}

/** What a format module gets besides its input. */
export interface ImportContext {
  sourceName: string;
  options: ImportOptions;
  warn(message: string): void;
}
