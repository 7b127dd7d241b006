import type { Conversation, ImportFormatId } from '../../core/conversation';
import { userMessages } from '../../core/conversation';
import { ImportError, inspectSource } from '../../core/import';
import type {
  AppliedDateOrder,
  DateOrder,
  ImportOptions,
  InspectedSource,
} from '../../core/import';
import type { LocalTime } from '../../core/time/localTime';
import { parseNaiveIso } from '../../core/time/localTime';
import type { DraftFile } from './importDraftStore';
import { errorText } from '../../core/errorText';

/** One thing to import: the paste box or a file. */
export interface ImportSource {
  key: string;
  name: string;
  /** The pasted text (null for a file). */
  text: string | null;
  /** A file's bytes (null for pasted text). */
  bytes: Uint8Array | null;
  /** Set when a file was refused before it was read (too large): the preview shows this error. */
  refused?: string | null;
  /** Warnings from before the import (the archive it came from), shown first. */
  warnings?: string[];
}

/** What the user chose for a source. */
export interface SourceChoices {
  speaker?: string;
  /** ISO date for sources without times. */
  date?: string;
  /** How a transcript's numeric dates (`03/04/2024`) are read, when the user switched it. */
  dateOrder?: DateOrder;
}

export interface ConversationSummary {
  conversation: Conversation;
  messageCount: number;
  userMessageCount: number;
  first: LocalTime | null;
  last: LocalTime | null;
}

export type SourcePreview =
  | {
      key: string;
      name: string;
      ok: true;
      format: ImportFormatId;
      conversations: ConversationSummary[];
      warnings: string[];
      /** Speakers to choose "the user" from, when the source has several. */
      speakers: string[] | null;
      /** The source has no times of its own: messages get the given date (or today's). */
      needsDate: boolean;
      /** How a transcript's numeric dates were read (and why), for the user to check or switch. */
      dateOrder: AppliedDateOrder | null;
    }
  | { key: string; name: string; ok: false; error: string; speakers: string[] | null };

export function summarize(conversation: Conversation): ConversationSummary {
  let first: LocalTime | null = null;
  let last: LocalTime | null = null;
  for (const message of conversation.messages) {
    if (message.timestamp === null) continue;
    if (first === null || message.timestamp < first) first = message.timestamp;
    if (last === null || message.timestamp > last) last = message.timestamp;
  }
  return {
    conversation,
    messageCount: conversation.messages.length,
    userMessageCount: userMessages(conversation).length,
    first,
    last,
  };
}

/** A draft file as the preview sees it: its bytes, or why it was not read. */
export function sourceOfDraftFile(file: DraftFile): ImportSource {
  if (file.bytes === null) {
    return { key: file.key, name: file.name, text: null, bytes: null, refused: file.refused };
  }
  return {
    key: file.key,
    name: file.name,
    text: null,
    bytes: file.bytes,
    warnings: file.warnings ?? [],
  };
}

/**
 * Each source is read and detected once: the preview, every change of its choices and Save reuse
 * it. A file is keyed by its bytes, which its draft entry keeps while it is in the draft (so adding
 * another file does not read this one again); the paste box by its settled text.
 */
const inspectedFiles = new WeakMap<Uint8Array, InspectedSource>();
let inspectedPaste: { name: string; text: string; inspection: InspectedSource } | null = null;

export function inspectImportSource(source: ImportSource): InspectedSource {
  if (source.bytes) {
    let found = inspectedFiles.get(source.bytes);
    if (!found) {
      // Files go in as bytes: their size, binary and encoding checks come first.
      found = inspectSource(source.name, source.bytes);
      inspectedFiles.set(source.bytes, found);
    }
    return found;
  }
  const text = source.text ?? '';
  if (inspectedPaste?.name !== source.name || inspectedPaste.text !== text) {
    inspectedPaste = { name: source.name, text, inspection: inspectSource(source.name, text) };
  }
  return inspectedPaste.inspection;
}

/** The importer's options for a source from the user's choices. */
export function importOptionsOf(choices: SourceChoices, now: LocalTime): ImportOptions {
  const options: ImportOptions = { now };
  if (choices.speaker) options.speaker = choices.speaker;
  const date = choices.date ? parseNaiveIso(choices.date) : null;
  if (date !== null) options.fallbackDate = date;
  if (choices.dateOrder) options.dateOrder = choices.dateOrder;
  return options;
}

/**
 * Runs the real importer on a source with the user's choices, without saving anything: exactly
 * what Save would store. A bad source becomes the importer's error message.
 */
export function previewSource(
  source: ImportSource,
  choices: SourceChoices,
  now: LocalTime,
): SourcePreview {
  if (source.refused) {
    return { key: source.key, name: source.name, ok: false, error: source.refused, speakers: null };
  }
  const inspection = inspectImportSource(source);
  const speakers = inspection.speakers;
  try {
    const result = inspection.importWith(importOptionsOf(choices, now));
    return {
      key: source.key,
      name: source.name,
      ok: true,
      format: result.format,
      conversations: result.conversations.map(summarize),
      warnings: [...(source.warnings ?? []), ...result.warnings],
      speakers: speakers && speakers.length > 1 ? speakers : null,
      needsDate: result.conversations.some((c) => c.assumedTimestamps !== undefined),
      dateOrder: result.dateOrder ?? null,
    };
  } catch (error) {
    const message =
      error instanceof ImportError ? error.message : `${source.name}: ${errorText(error)}`;
    return { key: source.key, name: source.name, ok: false, error: message, speakers };
  }
}
