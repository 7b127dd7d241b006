import { z } from 'zod';

import type { ImportFormatId, Message } from '../../core/conversation';
import type { ExtractedMemory } from '../../core/memory';
import { extractedMemoryOf, extractedMemorySchema, memoryOrigins } from '../../core/memory';
import { promptVariants } from '../../core/prompt/buildPrompt';
import { memoryVersionShape } from './memoryVersionFields';
import { instant, localTime } from './timeSchemas';
import type { EngineKind, ExtractTimings, ExtractUsage } from '../../engine/types';

/**
 * The records IndexedDB holds, with a zod schema for each: data enters through these schemas when it
 * comes from outside the running code (backups, broadcasts from other tabs, records of older database
 * versions). Times named `...At` are real instants (epoch ms); `LocalTime` fields are naive
 * wall-clock times as everywhere else in the app.
 */

export const importFormatIds = [
  'dimmem-lines',
  'transcript',
  'chatgpt-export',
  'claude-export',
  'longmemeval',
  'locomo',
  'sharegpt',
  'openai-messages',
] as const satisfies readonly ImportFormatId[];

export const conversationRecordSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  participants: z.array(z.string()),
  format: z.enum(importFormatIds),
  sourceName: z.string(),
  sourceRef: z.string(),
  assumedTimestamps: z
    .object({ date: localTime, reason: z.enum(['user-given', 'import-time']) })
    .optional(),
  /** SHA-256 of the messages (see contentHash.ts): recognises the same chat imported twice. */
  contentHash: z.string(),
  importedAt: instant,
  messageCount: z.int().nonnegative(),
  userMessageCount: z.int().nonnegative(),
  firstTimestamp: localTime.nullable(),
  lastTimestamp: localTime.nullable(),
});
export type ConversationRecord = z.infer<typeof conversationRecordSchema>;

export const messageRecordSchema = z.object({
  conversationId: z.string().min(1),
  /** Position of the message in its conversation, for ordered reads. */
  position: z.int().nonnegative(),
  id: z.string().min(1),
  role: z.enum(['user', 'assistant', 'other']),
  speaker: z.string(),
  text: z.string(),
  timestamp: localTime.nullable(),
  sourceRef: z.string(),
  /** `voice`: the text is a voice-mode transcription. */
  input: z.enum(['voice']).optional(),
});
export type MessageRecord = z.infer<typeof messageRecordSchema>;

/** A stored message is the core Message plus its place; this mapping keeps the two in step. */
export function toMessage(record: MessageRecord): Message {
  return {
    id: record.id,
    role: record.role,
    speaker: record.speaker,
    text: record.text,
    timestamp: record.timestamp,
    sourceRef: record.sourceRef,
    ...(record.input ? { input: record.input } : {}),
  };
}

export const engineKinds = [
  'webllm',
  'replay',
  'openai-endpoint',
] as const satisfies readonly EngineKind[];

export const runSettingsSchema = z.object({
  window: z.object({ size: z.int().min(1), overlap: z.int().nonnegative() }),
  /** Null when windows were planned by message count only (no tokenizer available). */
  budget: z
    .object({ contextSize: z.int().positive(), answerReserve: z.int().positive() })
    .nullable(),
  promptVariant: z.enum(promptVariants),
  /**
   * The prompt's byte form (`promptFormatVersion` in core/prompt) the run was planned with. Runs
   * stored before it was recorded have none: they were planned with format 1.
   */
  promptFormat: z.int().positive().optional(),
  /** Answer length limit for windows the budget planner did not size. */
  maxTokens: z.int().positive(),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

/**
 * `running` in the database with no tab holding the GPU lock means the tab that ran it closed or
 * crashed: the run is interrupted and can be resumed.
 */
export const runStatuses = ['pending', 'running', 'paused', 'cancelled', 'done', 'failed'] as const;
export type RunStatus = (typeof runStatuses)[number];

const totalsSchema = z.object({
  promptTokens: z.int().nonnegative(),
  completionTokens: z.int().nonnegative(),
  /** Seconds the engine spent on finished windows. */
  engineSeconds: z.number().nonnegative(),
  memoryCount: z.int().nonnegative(),
});
export type RunTotals = z.infer<typeof totalsSchema>;

export const runRecordSchema = z.object({
  id: z.string().min(1),
  conversationIds: z.array(z.string()),
  modelId: z.string(),
  engineKind: z.enum(engineKinds),
  settings: runSettingsSchema,
  status: z.enum(runStatuses),
  createdAt: instant,
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
  windowCount: z.int().nonnegative(),
  totals: totalsSchema,
  error: z.string().nullable(),
  /** What the user must be told about the run (e.g. its prompt form changed when it resumed). */
  notices: z.array(z.string()).optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export const windowStatuses = ['pending', 'running', 'done', 'failed', 'incomplete'] as const;
export type WindowStatus = (typeof windowStatuses)[number];

const usageSchema = z.object({
  promptTokens: z.int().nonnegative(),
  completionTokens: z.int().nonnegative(),
}) satisfies z.ZodType<ExtractUsage>;

const timingsSchema = z.object({
  prefillTokensPerSecond: z.number().nullable(),
  decodeTokensPerSecond: z.number().nullable(),
  totalSeconds: z.number(),
}) satisfies z.ZodType<ExtractTimings>;

export const windowCutSchema = z.object({
  messageId: z.string(),
  /** The message's content as the prompt holds it. */
  text: z.string(),
  contentTokens: z.int().nonnegative(),
  keptTokens: z.int().nonnegative(),
});
export type WindowCut = z.infer<typeof windowCutSchema>;

export const windowRecordSchema = z.object({
  runId: z.string().min(1),
  /** Position of the window in its run (0, 1, 2 … across all of the run's conversations). */
  index: z.int().nonnegative(),
  conversationId: z.string(),
  /** Index of the window inside its conversation: decides the overlap rule of its prompt. */
  windowInConversation: z.int().nonnegative(),
  messageIds: z.array(z.string()),
  overlap: z.int().nonnegative(),
  /** Prompt length from the tokenizer when the run was planned with a token budget. */
  promptTokens: z.int().nonnegative().nullable(),
  maxTokens: z.int().positive(),
  /**
   * A message too long for the context even after the model's own 8000-character cut: the window
   * holds it alone, cut further on token boundaries, and its prompt uses `text` instead of the
   * stored message's text (see `cutToFit` in core/windows).
   */
  cut: windowCutSchema.optional(),
  status: z.enum(windowStatuses),
  rawAnswer: z.string().nullable(),
  finishReason: z.enum(['stop', 'length', 'abort']).nullable(),
  usage: usageSchema.nullable(),
  timings: timingsSchema.nullable(),
  error: z.string().nullable(),
  memoryCount: z.int().nonnegative(),
  /** Memories the model wrote that failed validation or normalization, with the reason. */
  rejected: z.array(z.object({ raw: z.unknown(), reason: z.string() })),
  attempts: z.int().nonnegative(),
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
});
export type WindowRecord = z.infer<typeof windowRecordSchema>;

export const memoryRecordSchema = z.object({
  id: z.string().min(1),
  conversationId: z.string(),
  runId: z.string(),
  /** The run's window index (see WindowRecord.index). */
  windowIndex: z.int().nonnegative(),
  modelId: z.string(),
  origin: z.enum(memoryOrigins),
  edited: z.boolean(),
  createdAt: instant,
  ...extractedMemorySchema.shape,
  ...memoryVersionShape,
});
export type MemoryRecord = z.infer<typeof memoryRecordSchema>;

/** The stored record keeps every field of a normalized memory. */
export function toExtractedMemory(record: MemoryRecord): ExtractedMemory {
  return extractedMemoryOf(record);
}

export const settingRecordSchema = z.object({ key: z.string().min(1), value: z.unknown() });
export type SettingRecord = z.infer<typeof settingRecordSchema>;
