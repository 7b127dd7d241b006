import { z } from 'zod';

import { memoryTypes } from './schema/answer';

/** A naive local time (see time/localTime.ts), as stored: a finite number. */
const localTime = z.number().finite();

/** Where a memory came from: a real model run, or the replay engine's recorded answers (tests, demos). */
export const memoryOrigins = ['extracted', 'recorded'] as const;
export type MemoryOrigin = (typeof memoryOrigins)[number];

/**
 * A memory after parsing and normalization: its window-local `source_id` is resolved to the global
 * message it came from. Storage adds ids of its own around this (see src/store). The one list of a
 * memory's fields: the type, the stored record's schema and every copy of a memory come from it.
 */
export const extractedMemorySchema = z.object({
  /** The message of the conversation this memory comes from. */
  messageId: z.string(),
  messageText: z.string(),
  messageTimestamp: localTime,
  /** The `source_id` the model wrote, numbered inside its window. */
  sourceIdInWindow: z.int(),
  content: z.string(),
  memoryType: z.enum(memoryTypes),
  /** Raw `time`: `""`, a date `2023-04-24` or a range `2023-09-01/2023-11-30`. */
  time: z.string(),
  /** Parsed `time` as an inclusive range of whole days; null when empty or not a date. */
  timeStart: localTime.nullable(),
  timeEnd: localTime.nullable(),
  location: z.string(),
  reason: z.string(),
  purpose: z.string(),
  keywords: z.array(z.string()),
});
export type ExtractedMemory = z.infer<typeof extractedMemorySchema>;

/** Where a memory sits in its conversation, as opposed to what it says. */
type MemorySourceField = 'messageId' | 'messageText' | 'messageTimestamp' | 'sourceIdInWindow';

/** What a memory says: its text and dimensions (what the model wrote and a person may edit). */
export type MemoryDimensions = Omit<ExtractedMemory, MemorySourceField>;

/** What a memory says as written: its dimensions without the day range parsed from `time`. */
export type WrittenMemory = Omit<MemoryDimensions, 'timeStart' | 'timeEnd'>;

const extractedMemoryFields = Object.keys(extractedMemorySchema.shape) as (keyof ExtractedMemory)[];

/** The memory alone, without what a store or a file keeps around it (ids, provenance). */
export function extractedMemoryOf(memory: ExtractedMemory): ExtractedMemory {
  const copy: Partial<Record<keyof ExtractedMemory, unknown>> = {};
  for (const field of extractedMemoryFields) copy[field] = memory[field];
  return copy as ExtractedMemory;
}
