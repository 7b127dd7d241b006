import { formatMemoryLine, parseMemoryLine } from '../../core/exchange/memoryLine';
import { fingerprint } from '../../core/import/sourceId';
import type { MemoryRecord } from '../db/records';
import { toExtractedMemory } from '../db/records';
import { errorText } from '../../core/errorText';

/** What a memory line says about the conversation, when the conversation is stored. */
export interface LineConversation {
  title: string;
  sourceName: string;
}

/**
 * One memory line per memory (see src/core/exchange/memoryLine.ts), each ending with a newline.
 * The conversation's title and source file are written when `conversations` has them.
 */
export function memoriesToJsonl(
  memories: readonly MemoryRecord[],
  conversations: ReadonlyMap<string, LineConversation> = new Map(),
): string {
  return memories
    .map((memory) => {
      const conversation = conversations.get(memory.conversationId);
      const line = formatMemoryLine(toExtractedMemory(memory), {
        id: memory.id,
        conversationId: memory.conversationId,
        conversationTitle: conversation?.title,
        sourceName: conversation?.sourceName,
        runId: memory.runId,
        windowIndex: memory.windowIndex,
        model: memory.modelId,
        origin: memory.origin,
        edited: memory.edited,
        createdAt: memory.createdAt,
        // Consolidation's versions: a line with any of them is written as version 2.
        mergedFrom: memory.mergedFrom,
        supersededBy: memory.supersededBy,
        validUntil: memory.validUntil,
        decision: memory.decision,
        decidedBy: memory.decidedBy,
        decisionReasoning: memory.decisionReasoning,
      });
      return `${line}\n`;
    })
    .join('');
}

/** Lines without a run (the CLI's) are stored under this run id. */
const IMPORTED_RUN_ID = 'imported';

/**
 * A memory line as a stored record. A line without an id (written by hand or by another tool) gets
 * one derived from its content, so importing the same file twice does not duplicate; a line without
 * a creation time was created when it is imported.
 */
export function memoryRecordFromLine(text: string, importedAt: number): MemoryRecord {
  const { memory, provenance } = parseMemoryLine(text);
  const id =
    provenance.id ??
    `jsonl-${fingerprint(`${provenance.conversationId}\u0000${memory.messageId}\u0000${memory.content}`)}`;
  return {
    id,
    conversationId: provenance.conversationId,
    runId: provenance.runId ?? IMPORTED_RUN_ID,
    windowIndex: provenance.windowIndex,
    modelId: provenance.model ?? 'unknown model',
    origin: provenance.origin,
    edited: provenance.edited,
    createdAt: provenance.createdAt ?? importedAt,
    ...memory,
    ...(provenance.mergedFrom ? { mergedFrom: provenance.mergedFrom } : {}),
    ...(provenance.supersededBy ? { supersededBy: provenance.supersededBy } : {}),
    ...(provenance.validUntil !== undefined ? { validUntil: provenance.validUntil } : {}),
    ...(provenance.decision ? { decision: provenance.decision } : {}),
    ...(provenance.decidedBy !== undefined ? { decidedBy: provenance.decidedBy } : {}),
    ...(provenance.decisionReasoning !== undefined
      ? { decisionReasoning: provenance.decisionReasoning }
      : {}),
  };
}

export interface JsonlReadResult {
  memories: MemoryRecord[];
  /** Lines that could not be read, numbered from 1, with the reason. */
  errors: { line: number; reason: string }[];
}

/** Reads JSONL memories (the app's export or the CLI's output); blank lines are ignored. */
export function parseMemoriesJsonl(text: string, importedAt: number): JsonlReadResult {
  const result: JsonlReadResult = { memories: [], errors: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      result.memories.push(memoryRecordFromLine(raw, importedAt));
    } catch (error) {
      result.errors.push({
        line: index + 1,
        reason: errorText(error),
      });
    }
  });
  return result;
}
