import { z } from 'zod';

import type { WrittenMemory } from '../../core/memory';
import { parseMemoryTime } from '../../core/parse/memoryTime';
import { dedupeKeywords } from '../../core/parse/normalizeMemories';
import { dimensionSchema } from '../../core/schema/answer';
import type { MemoryEdit } from '../../store/memories/memoryRepository';
import type { MemoryRecord } from '../../store/db/records';

/** The edit form's fields, as the user typed them; keywords comma-separated. */
export type MemoryEditDraft = Record<keyof WrittenMemory, string>;

export type MemoryEditErrors = Partial<Record<keyof MemoryEditDraft, string>>;

/**
 * The model's own answer schema (dimension + content) is what an edit must satisfy, plus what a
 * person would expect: content is not empty and a time is a date or a date range (or empty).
 */
const editSchema = dimensionSchema.extend({
  content: z.string().trim().min(1, 'A memory needs some content.'),
  time: z
    .string()
    .trim()
    .refine((time) => time === '' || parseMemoryTime(time) !== null, {
      message: 'Use a date like 2023-04-24, a range like 2023-09-01/2023-11-30, or leave it empty.',
    }),
});

export function draftOf(memory: MemoryRecord): MemoryEditDraft {
  return {
    content: memory.content,
    memoryType: memory.memoryType,
    time: memory.time,
    location: memory.location,
    reason: memory.reason,
    purpose: memory.purpose,
    keywords: memory.keywords.join(', '),
  };
}

/** Validates a draft; on success, the edit to store (with the time parsed into its range). */
export function validateEdit(
  draft: MemoryEditDraft,
): { ok: true; edit: MemoryEdit } | { ok: false; errors: MemoryEditErrors } {
  const parsed = editSchema.safeParse({
    content: draft.content,
    memory_type: draft.memoryType,
    time: draft.time,
    location: draft.location.trim(),
    reason: draft.reason.trim(),
    purpose: draft.purpose.trim(),
    keywords: dedupeKeywords(draft.keywords.split(',')),
  });
  if (!parsed.success) {
    const errors: MemoryEditErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === 'memory_type' ? 'memoryType' : issue.path[0];
      if (typeof key === 'string' && key in draft) {
        errors[key as keyof MemoryEditDraft] ??= issue.message;
      }
    }
    return { ok: false, errors };
  }
  const { content, memory_type, time, location, reason, purpose, keywords } = parsed.data;
  const range = parseMemoryTime(time);
  return {
    ok: true,
    edit: {
      content: content.trim(),
      memoryType: memory_type,
      time,
      timeStart: range?.timeStart ?? null,
      timeEnd: range?.timeEnd ?? null,
      location,
      reason,
      purpose,
      keywords,
    },
  };
}
