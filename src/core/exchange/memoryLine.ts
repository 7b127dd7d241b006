import { z } from 'zod';

import type { ExtractedMemory, MemoryOrigin } from '../memory';
import { memoryOrigins } from '../memory';
import { parseMemoryTime } from '../parse/memoryTime';
import { memoryTypes } from '../schema/answer';
import { formatSchemaIssues } from '../schema/formatSchemaIssues';
import type { LocalTime } from '../time/localTime';
import { parseNaiveIso, toIsoDate, toPythonIsoformat } from '../time/localTime';
import { errorText } from '../errorText';

/**
 * A memory line: one memory as a self-describing JSON object, one per line of a memories JSONL file.
 * The CLI's `extract` writes these lines, the app exports and imports them. The shape is documented
 * in docs/storage.md (Memory lines); bump the version when it changes in a way old readers misread.
 *
 * Version 2 adds the version history of consolidation (`mergedFrom`, `supersededBy`, `validUntil`,
 * and on a consolidated memory `decision`, `decidedBy`, `decisionReasoning`): a reader of version 1
 * would show an earlier version as a current memory, so a line carrying any of them is written as
 * version 2, which such a reader refuses. A line without them is still written as version 1, which
 * every reader reads the same.
 */
export const MEMORY_LINE_VERSION = 2;
export const MEMORY_LINE_VERSIONS = [1, 2] as const;
export type MemoryLineVersion = (typeof MEMORY_LINE_VERSIONS)[number];

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const naiveDateTimeText = z
  .string()
  .refine((text) => parseNaiveIso(text) !== null, 'expected a naive ISO date-time');
const isoDateText = z.string().regex(ISO_DATE, 'expected a date YYYY-MM-DD');

/**
 * The line as it is written, keys in the order they are written. Fields marked optional are written
 * only by the side that knows them: the app (`runId`, `origin`, `edited`, `createdAt`), the CLI
 * (`indexInWindow`), either when it knows the conversation (`conversationTitle`, `sourceName`).
 */
export const memoryLineSchema = z.object({
  version: z.literal(MEMORY_LINE_VERSIONS),
  id: z.string().min(1),
  conversationId: z.string(),
  conversationTitle: z.string().optional(),
  sourceName: z.string().optional(),
  runId: z.string().optional(),
  /** The app: the window's index in its run; the CLI: the window's index in its conversation. */
  windowIndex: z.int().nonnegative(),
  /** Position of the memory among its window's kept memories. */
  indexInWindow: z.int().nonnegative().optional(),
  messageId: z.string(),
  messageText: z.string(),
  /** Python `isoformat()` of the naive local time: `2023-04-23T08:57:01`, `…T08:57:00.500000`. */
  messageTimestamp: naiveDateTimeText,
  sourceIdInWindow: z.int(),
  content: z.string().min(1),
  memoryType: z.enum(memoryTypes),
  time: z.string(),
  /** First and last day of `time` as a range; null when `time` is empty or not a date. */
  timeStart: isoDateText.nullable(),
  timeEnd: isoDateText.nullable(),
  location: z.string(),
  reason: z.string(),
  purpose: z.string(),
  keywords: z.array(z.string()),
  model: z.string(),
  origin: z.enum(memoryOrigins).optional(),
  edited: z.boolean().optional(),
  /** When the app stored the memory: an ISO instant (`2025-06-01T10:00:00.000Z`). */
  createdAt: z.iso.datetime({ offset: true }).optional(),
  /** Version 2: the memories this one was consolidated from (merged or superseded), older first. */
  mergedFrom: z.array(z.string().min(1)).min(2).optional(),
  /** Version 2: this memory is an earlier version; the memory that replaced it. */
  supersededBy: z.string().min(1).optional(),
  /** Version 2: a superseded fact held until this naive local time (Python isoformat). */
  validUntil: naiveDateTimeText.optional(),
  /** Version 2, on a consolidated memory: what made it. */
  decision: z.enum(['MERGE', 'SUPERSEDE']).optional(),
  /** Version 2: who decided: `rule: exact duplicate`, a model's label, `you`. */
  decidedBy: z.string().optional(),
  /** Version 2: why, in the decider's words. */
  decisionReasoning: z.string().optional(),
});
export type MemoryLine = z.infer<typeof memoryLineSchema>;

/** Where a memory came from, as far as the writer knows it. */
export interface MemoryLineProvenance {
  id: string;
  conversationId: string;
  conversationTitle?: string;
  sourceName?: string;
  runId?: string;
  windowIndex: number;
  indexInWindow?: number;
  model: string;
  origin?: MemoryOrigin;
  edited?: boolean;
  /** Epoch milliseconds. */
  createdAt?: number;
  /** The memories this one was consolidated from, older first. */
  mergedFrom?: string[];
  /** Set on an earlier version: the memory that replaced it. */
  supersededBy?: string;
  /** Set on a superseded fact: the naive local time until which it held. */
  validUntil?: LocalTime;
  /** Set on a consolidated memory: what made it, who decided and why. */
  decision?: 'MERGE' | 'SUPERSEDE';
  decidedBy?: string;
  decisionReasoning?: string;
}

const historyFields = [
  'mergedFrom',
  'supersededBy',
  'validUntil',
  'decision',
  'decidedBy',
  'decisionReasoning',
] as const;

/** Whether a line carries a version history, so it must be written as version 2. */
const hasHistory = (provenance: MemoryLineProvenance): boolean =>
  historyFields.some((field) => provenance[field] !== undefined);

/** One line of JSON (no newline). Absent provenance fields are left out of the line. */
export function formatMemoryLine(
  memory: ExtractedMemory,
  provenance: MemoryLineProvenance,
): string {
  const line: MemoryLine = {
    version: hasHistory(provenance) ? MEMORY_LINE_VERSION : 1,
    id: provenance.id,
    conversationId: provenance.conversationId,
    conversationTitle: provenance.conversationTitle,
    sourceName: provenance.sourceName,
    runId: provenance.runId,
    windowIndex: provenance.windowIndex,
    indexInWindow: provenance.indexInWindow,
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
    model: provenance.model,
    origin: provenance.origin,
    edited: provenance.edited,
    createdAt:
      provenance.createdAt === undefined ? undefined : new Date(provenance.createdAt).toISOString(),
    mergedFrom: provenance.mergedFrom,
    supersededBy: provenance.supersededBy,
    validUntil:
      provenance.validUntil === undefined ? undefined : toPythonIsoformat(provenance.validUntil),
    decision: provenance.decision,
    decidedBy: provenance.decidedBy,
    decisionReasoning: provenance.decisionReasoning,
  };
  // JSON.stringify leaves out the keys whose value is undefined.
  return JSON.stringify(line);
}

const naiveTime = z.string().transform((text, context): LocalTime => {
  const time = parseNaiveIso(text);
  if (time === null) {
    context.addIssue({
      code: 'custom',
      message: `expected a naive ISO date-time such as 2023-04-23T08:57:01, got ${JSON.stringify(text)}`,
    });
    return z.NEVER;
  }
  return time;
});

/** A day of a time range: a date, or a date-time read as its day (ranges are whole days). */
const naiveDay = naiveTime.transform((time) => Math.floor(time / DAY_MS) * DAY_MS);

/**
 * What a line may hold when it is read: the shape above, and the lines written before it was shared
 * by the app and the CLI. Only what a memory cannot do without is required; the other fields get
 * defaults, and unknown fields are ignored.
 */
const memoryLineReadSchema = memoryLineSchema.extend({
  /** App exports before the shape was shared have no version. */
  version: z.literal(MEMORY_LINE_VERSIONS).optional(),
  id: z.string().min(1).optional(),
  windowIndex: z.int().nonnegative().default(0),
  messageTimestamp: naiveTime,
  sourceIdInWindow: z.int().default(0),
  /** Earlier app exports wrote date-times (`2023-04-24T00:00:00.000`); both are read. */
  timeStart: naiveDay.nullable().optional(),
  timeEnd: naiveDay.nullable().optional(),
  model: z.string().optional(),
  /** The model field of app exports before the shape was shared. */
  modelId: z.string().optional(),
  origin: z.enum(memoryOrigins).default('extracted'),
  edited: z.boolean().default(false),
  validUntil: naiveTime.optional(),
});

/**
 * What a read line says about where its memory came from: the written provenance, where a line may
 * lack its id and model (absent fields were not in the line) and origin and edited have defaults.
 */
export type ReadMemoryLineProvenance = Omit<
  MemoryLineProvenance,
  'id' | 'model' | 'origin' | 'edited'
> & {
  id?: string;
  model?: string;
  origin: MemoryOrigin;
  edited: boolean;
};

export interface ReadMemoryLine {
  memory: ExtractedMemory;
  provenance: ReadMemoryLineProvenance;
}

/** A line that is not a memory; the message says what is wrong, field by field. */
export class MemoryLineError extends Error {
  override name = 'MemoryLineError';
}

/**
 * Reads one line (its JSON text). A line without `timeStart`/`timeEnd` gets them from `time`.
 * Throws {@link MemoryLineError}, e.g. `memoryType: expected one of fact|episodic|profile, got "x"`.
 */
export function parseMemoryLine(text: string): ReadMemoryLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MemoryLineError(`not JSON (${errorText(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MemoryLineError(
      `expected a JSON object (one memory), got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`,
    );
  }
  const result = memoryLineReadSchema.safeParse(value, { reportInput: true });
  if (!result.success) throw new MemoryLineError(formatSchemaIssues(result.error));
  const line = result.data;
  const range = line.timeStart === undefined ? parseMemoryTime(line.time) : null;
  return {
    memory: {
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
    },
    provenance: {
      id: line.id,
      conversationId: line.conversationId,
      conversationTitle: line.conversationTitle,
      sourceName: line.sourceName,
      runId: line.runId,
      windowIndex: line.windowIndex,
      indexInWindow: line.indexInWindow,
      model: line.model ?? line.modelId,
      origin: line.origin,
      edited: line.edited,
      createdAt: line.createdAt === undefined ? undefined : Date.parse(line.createdAt),
      mergedFrom: line.mergedFrom,
      supersededBy: line.supersededBy,
      validUntil: line.validUntil,
      decision: line.decision,
      decidedBy: line.decidedBy,
      decisionReasoning: line.decisionReasoning,
    },
  };
}
