import { z } from 'zod';

import { fingerprint } from '../../core/import/sourceId';
import { parseMemoryTime } from '../../core/parse/memoryTime';
import { memoryTypes } from '../../core/schema/answer';
import { parseNaiveIso, toIsoMillis } from '../../core/time/localTime';
import type { MemoryRecord } from '../records';
import { memoryOrigins } from '../records';

/**
 * One memory as a self-describing JSON object: the line format of JSONL exports, and the format the
 * CLI writes. Times are readable: naive local ISO strings (`2023-04-23T08:57:00.500`) for the
 * message time and the parsed memory time; `createdAt` is an ISO instant (`…Z`).
 */
export interface MemoryLine {
  id: string;
  conversationId: string;
  conversationTitle?: string;
  runId: string;
  windowIndex: number;
  modelId: string;
  origin: MemoryRecord['origin'];
  edited: boolean;
  createdAt: string;
  messageId: string;
  messageText: string;
  messageTimestamp: string;
  sourceIdInWindow: number;
  content: string;
  memoryType: MemoryRecord['memoryType'];
  time: string;
  timeStart: string | null;
  timeEnd: string | null;
  location: string;
  reason: string;
  purpose: string;
  keywords: string[];
}

export function memoryToLine(memory: MemoryRecord, conversationTitle?: string): MemoryLine {
  const line: MemoryLine = {
    id: memory.id,
    conversationId: memory.conversationId,
    runId: memory.runId,
    windowIndex: memory.windowIndex,
    modelId: memory.modelId,
    origin: memory.origin,
    edited: memory.edited,
    createdAt: new Date(memory.createdAt).toISOString(),
    messageId: memory.messageId,
    messageText: memory.messageText,
    messageTimestamp: toIsoMillis(memory.messageTimestamp),
    sourceIdInWindow: memory.sourceIdInWindow,
    content: memory.content,
    memoryType: memory.memoryType,
    time: memory.time,
    timeStart: memory.timeStart === null ? null : toIsoMillis(memory.timeStart),
    timeEnd: memory.timeEnd === null ? null : toIsoMillis(memory.timeEnd),
    location: memory.location,
    reason: memory.reason,
    purpose: memory.purpose,
    keywords: memory.keywords,
  };
  if (conversationTitle !== undefined) line.conversationTitle = conversationTitle;
  return line;
}

const naiveTime = z.string().transform((text, context) => {
  const time = parseNaiveIso(text);
  if (time === null) {
    context.addIssue({ code: 'custom', message: `not a naive ISO date-time: ${text}` });
    return z.NEVER;
  }
  return time;
});

/**
 * Reads a line. Only what a memory cannot do without is required; provenance the CLI may not know
 * (run, window, model, ids) gets defaults, and a missing id is derived from the content so that
 * importing the same file twice does not duplicate.
 */
export const memoryLineSchema = z.object({
  id: z.string().min(1).optional(),
  conversationId: z.string(),
  runId: z.string().default('imported'),
  windowIndex: z.int().nonnegative().default(0),
  modelId: z.string().optional(),
  /** The CLI's name for the model field (see src/cli/extract/memoryRecord.ts). */
  model: z.string().optional(),
  origin: z.enum(memoryOrigins).default('extracted'),
  edited: z.boolean().default(false),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  messageId: z.string(),
  messageText: z.string(),
  messageTimestamp: naiveTime,
  sourceIdInWindow: z.int().default(0),
  content: z.string().min(1),
  memoryType: z.enum(memoryTypes),
  time: z.string(),
  timeStart: naiveTime.nullable().optional(),
  timeEnd: naiveTime.nullable().optional(),
  location: z.string(),
  reason: z.string(),
  purpose: z.string(),
  keywords: z.array(z.string()),
});

export function lineToMemory(value: unknown, importedAt: number): MemoryRecord {
  const line = memoryLineSchema.parse(value);
  const range = line.timeStart === undefined ? parseMemoryTime(line.time) : null;
  return {
    id:
      line.id ??
      `jsonl-${fingerprint(`${line.conversationId}\u0000${line.messageId}\u0000${line.content}`)}`,
    conversationId: line.conversationId,
    runId: line.runId,
    windowIndex: line.windowIndex,
    modelId: line.modelId ?? line.model ?? 'unknown model',
    origin: line.origin,
    edited: line.edited,
    createdAt: line.createdAt === undefined ? importedAt : Date.parse(line.createdAt),
    messageId: line.messageId,
    messageText: line.messageText,
    messageTimestamp: line.messageTimestamp,
    sourceIdInWindow: line.sourceIdInWindow,
    content: line.content,
    memoryType: line.memoryType,
    time: line.time,
    timeStart: line.timeStart === undefined ? (range?.timeStart ?? null) : line.timeStart,
    timeEnd: line.timeEnd === undefined ? (range?.timeEnd ?? null) : line.timeEnd,
    location: line.location,
    reason: line.reason,
    purpose: line.purpose,
    keywords: line.keywords,
  };
}
