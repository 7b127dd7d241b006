import { createHash } from 'node:crypto';

import type { Conversation } from '../../core/conversation';
import { formatMemoryLine } from '../../core/exchange/memoryLine';
import type { ExtractedMemory } from '../../core/memory';

/**
 * A content-derived id: conversation, window, position and content. Re-running the same window
 * with the same answer (e.g. after `--resume` repeats a window that was cut off) gives the same id.
 */
export function extractedMemoryId(
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

/**
 * The memories file's line for a kept memory (the shared memory line, see
 * src/core/exchange/memoryLine.ts): with its conversation, its window in that conversation and its
 * position among the window's kept memories, and no run or creation time, so a run gives the same
 * bytes every time.
 */
export function extractedMemoryLine(
  memory: ExtractedMemory,
  conversation: Conversation,
  windowIndex: number,
  indexInWindow: number,
  model: string,
): string {
  return formatMemoryLine(memory, {
    id: extractedMemoryId(conversation.id, windowIndex, indexInWindow, memory.content),
    conversationId: conversation.id,
    conversationTitle: conversation.title,
    sourceName: conversation.sourceName,
    windowIndex,
    indexInWindow,
    model,
  });
}
