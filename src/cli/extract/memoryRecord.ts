import { createHash } from 'node:crypto';

import type { Conversation } from '../../core/conversation';
import type { ExtractedMemory } from '../../core/memory';
import type { MemoryType } from '../../core/schema/answer';
import { toIsoDate, toPythonIsoformat } from '../../core/time/localTime';

/**
 * One line of the memories JSONL: a normalized memory (`ExtractedMemory`) with its provenance.
 * Times are naive local ISO strings (`2023-04-23T08:57:01`, `2023-04-24`), as the model sees them.
 * The shape is documented in docs/servers.md; bump `version` when it changes.
 */
export interface MemoryRecord {
  version: 1;
  /** Stable: the same window answer gives the same ids, run after run. */
  id: string;
  conversationId: string;
  conversationTitle: string;
  sourceName: string;
  windowIndex: number;
  /** Position of the memory among this window's kept memories. */
  indexInWindow: number;
  messageId: string;
  messageText: string;
  messageTimestamp: string;
  sourceIdInWindow: number;
  content: string;
  memoryType: MemoryType;
  time: string;
  timeStart: string | null;
  timeEnd: string | null;
  location: string;
  reason: string;
  purpose: string;
  keywords: string[];
  model: string;
}

/**
 * A content-derived id: conversation, window, position and content. Re-running the same window
 * with the same answer (e.g. after `--resume` repeats a window that was cut off) gives the same id.
 */
export function memoryRecordId(
  conversationId: string,
  windowIndex: number,
  indexInWindow: number,
  content: string,
): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([conversationId, windowIndex, indexInWindow, content]))
    .digest('hex');
  return `mem-${hash.slice(0, 20)}`;
}

export function toMemoryRecord(
  memory: ExtractedMemory,
  conversation: Conversation,
  windowIndex: number,
  indexInWindow: number,
  model: string,
): MemoryRecord {
  return {
    version: 1,
    id: memoryRecordId(conversation.id, windowIndex, indexInWindow, memory.content),
    conversationId: conversation.id,
    conversationTitle: conversation.title,
    sourceName: conversation.sourceName,
    windowIndex,
    indexInWindow,
    messageId: memory.messageId,
    messageText: memory.messageText,
    messageTimestamp: toPythonIsoformat(memory.messageTimestamp),
    sourceIdInWindow: memory.sourceIdInWindow,
    content: memory.content,
    memoryType: memory.memoryType,
    time: memory.time,
    timeStart: memory.timeStart === null ? null : toIsoDate(memory.timeStart),
    timeEnd: memory.timeEnd === null ? null : toIsoDate(memory.timeEnd),
    location: memory.location,
    reason: memory.reason,
    purpose: memory.purpose,
    keywords: memory.keywords,
    model,
  };
}

/** A line of `<out>.rejected.jsonl`: what was kept out of the memories, and why. */
export interface RejectedRecord {
  conversationId: string;
  windowIndex: number;
  /**
   * `answer`: the answer as a whole is malformed or cut off (raw = the answer text);
   * `memory`: one memory object failed the schema (raw = that object);
   * `dropped`: a valid memory normalization left out, e.g. sourced from overlap context;
   * `time-warning`: a memory that *was kept* in the memories file, but whose `time` is neither a
   * date nor a range (raw = the answer's memory object), so a person can check it.
   */
  kind: 'answer' | 'memory' | 'dropped' | 'time-warning';
  reason: string;
  raw: unknown;
  model: string;
}

/** A line of `<out>.answers.jsonl`: the raw answer of a window, for provenance and re-parsing. */
export interface AnswerRecord {
  conversationId: string;
  windowIndex: number;
  model: string;
  finishReason: string;
  promptTokens: number;
  completionTokens: number;
  answer: string;
}
