import type { ExtractedMemory } from '../memory';
import type { AnswerMemory } from '../schema/answer';
import type { PromptWindow } from '../prompt';
import { memoryTimeWarning, parseMemoryTime } from './memoryTime';
import type { DroppedMemory, MemoryWarning, NormalizedMemories } from './types';

/** Trimmed, without empty ones, first spelling kept when two differ only in case. */
export function dedupeKeywords(keywords: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const keyword of keywords) {
    const text = keyword.trim();
    const key = text.normalize('NFC').toLowerCase();
    if (text === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(text);
  }
  return kept;
}

/**
 * Resolves each memory's window-local `source_id` to the conversation message it came from
 * (`window.messages[source_id - 1]`) and cleans it up. A memory is dropped, with the reason, when its
 * source is outside the window, is one of the overlap messages a later window repeats only as
 * context (design §2), or when it has no content. A memory whose `time` is neither a date nor a
 * range is kept (the model's words are still evidence) with its raw `time` and no range, and is
 * also listed in `warnings` so the caller can show it.
 */
export function normalizeMemories(
  memories: readonly AnswerMemory[],
  window: PromptWindow,
): NormalizedMemories {
  const kept: ExtractedMemory[] = [];
  const dropped: DroppedMemory[] = [];
  const warnings: MemoryWarning[] = [];
  for (const memory of memories) {
    const reason = dropReason(memory, window);
    if (reason !== null) {
      dropped.push({ memory, reason });
      continue;
    }
    const message = window.messages[memory.source_id - 1];
    if (!message || message.timestamp === null) {
      dropped.push({
        memory,
        reason: `message ${memory.source_id} of this window has no timestamp`,
      });
      continue;
    }
    const { dimension } = memory;
    const time = dimension.time.trim();
    const range = parseMemoryTime(time);
    const warning = memoryTimeWarning(time);
    if (warning !== null) warnings.push({ memory, reason: warning });
    kept.push({
      messageId: message.id,
      messageText: message.text,
      messageTimestamp: message.timestamp,
      sourceIdInWindow: memory.source_id,
      content: memory.content.trim(),
      memoryType: dimension.memory_type,
      time,
      timeStart: range?.timeStart ?? null,
      timeEnd: range?.timeEnd ?? null,
      location: dimension.location.trim(),
      reason: dimension.reason.trim(),
      purpose: dimension.purpose.trim(),
      keywords: dedupeKeywords(dimension.keywords),
    });
  }
  return { memories: kept, dropped, warnings };
}

function dropReason(memory: AnswerMemory, window: PromptWindow): string | null {
  const id = memory.source_id;
  const count = window.messages.length;
  if (id < 1 || id > count) {
    return `source_id ${id} is outside this window's messages 1–${count}`;
  }
  if (window.index > 0 && id <= window.overlap) {
    return `source_id ${id} is overlap context: messages 1–${window.overlap} were already extracted in the previous window`;
  }
  if (memory.content.trim() === '') return 'the memory has no content';
  return null;
}
