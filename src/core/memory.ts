import type { MemoryType } from './schema/answer';
import type { LocalTime } from './time/localTime';

/** Where a memory came from: a real model run, or the replay engine's recorded answers (tests, demos). */
export const memoryOrigins = ['extracted', 'recorded'] as const;
export type MemoryOrigin = (typeof memoryOrigins)[number];

/**
 * A memory after parsing and normalization: its window-local `source_id` is resolved to the global
 * message it came from. Storage adds ids of its own around this (see src/store).
 */
export interface ExtractedMemory {
  /** The message of the conversation this memory comes from. */
  messageId: string;
  messageText: string;
  messageTimestamp: LocalTime;
  /** The `source_id` the model wrote, numbered inside its window. */
  sourceIdInWindow: number;
  content: string;
  memoryType: MemoryType;
  /** Raw `time`: `""`, a date `2023-04-24` or a range `2023-09-01/2023-11-30`. */
  time: string;
  /** Parsed `time` as an inclusive range of whole days; null when empty or not a date. */
  timeStart: LocalTime | null;
  timeEnd: LocalTime | null;
  location: string;
  reason: string;
  purpose: string;
  keywords: string[];
}
