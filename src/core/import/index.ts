import type { Conversation, ImportFormatId } from '../conversation';
import { describeShape, sniff } from './detect';
import type { Sniffed } from './detect';
import { importDimMemLines } from './dimmemLines';
import { ImportError } from './importError';
import { isRecord } from './schemaIssue';
import { importTranscript, transcriptSpeakers } from './transcript';
import type { ImportContext, ImportOptions, ImportResult } from './types';
import { archiveSizeError, isZipArchive } from './zipArchive';

export { formatLabels } from './formatLabels';
export { ImportError } from './importError';
export type { ImportOptions, ImportResult } from './types';
export { BOTH_SPEAKERS } from './speakerChoice';
// Opening an archive (./chatArchive) needs fflate: it is imported on its own, lazily in the browser.
export { isZipArchive, MAX_ARCHIVE_BYTES } from './zipArchive';

/** Larger files are refused before decoding: a browser tab would struggle to hold them. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

const MIB = 1024 * 1024;
const tooLarge = (bytes: number) =>
  `it is too large to import (${(bytes / MIB).toFixed(1)} MB; the limit is ${MAX_IMPORT_BYTES / MIB} MB)`;

/**
 * The import's "too large" error for a source of `size` bytes (or UTF-16 units, for text), or null
 * when it is within {@link MAX_IMPORT_BYTES}. Callers holding a file check its size with this
 * before reading it, so a huge file is refused without ever being loaded.
 */
export function importSizeError(sourceName: string, size: number): ImportError | null {
  return size > MAX_IMPORT_BYTES ? new ImportError(sourceName, [], tooLarge(size)) : null;
}

/**
 * The "too large" error for a file of `size` bytes that begins with `head` (its first four bytes
 * are enough), or null. A zip archive may be up to {@link MAX_ARCHIVE_BYTES}: only the chat
 * exports inside it are imported, each checked against {@link MAX_IMPORT_BYTES} before it is
 * unpacked. Callers read the head only for a file over the import limit.
 */
export function fileSizeError(name: string, size: number, head: Uint8Array): ImportError | null {
  return isZipArchive(head) ? archiveSizeError(name, size) : importSizeError(name, size);
}

/** Byte-order mark and Windows line ends removed: every format reads `\n` lines. */
const normalizeText = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

/** A label for one record in warnings: `conversation 3 ("Trip to Rome")` or `line 7`. */
function recordLabel(record: unknown, index: number, lineNumber: number | undefined): string {
  const base = lineNumber === undefined ? `conversation ${index + 1}` : `line ${lineNumber}`;
  if (!isRecord(record)) return base;
  const title = [record.title, record.name, record.question_id, record.sample_id].find(
    (value) => typeof value === 'string' && value.trim() !== '',
  );
  return typeof title === 'string' ? `${base} (${JSON.stringify(title)})` : base;
}

function importJson(
  sniffed: Extract<Sniffed, { kind: 'json' }>,
  context: ImportContext,
): Conversation[] {
  const { format } = sniffed;
  for (const bad of sniffed.badLines) context.warn(`line ${bad.line} skipped: ${bad.reason}`);
  const records =
    format.records?.(sniffed.value) ??
    (Array.isArray(sniffed.value) ? sniffed.value : [sniffed.value]);
  const conversations: Conversation[] = [];
  const problems: string[] = [];
  records.forEach((record, index) => {
    const label = recordLabel(record, index, sniffed.lineNumbers?.[index]);
    try {
      conversations.push(...format.convert(record, index, context));
    } catch (error) {
      if (error instanceof ImportError) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      problems.push(`${label}: ${detail}`);
      context.warn(`${label} skipped: ${detail}`);
    }
  });
  if (conversations.length === 0) {
    const reason = records.length === 0 ? `it holds ${describeShape(sniffed.value)}` : problems[0]!;
    throw new ImportError(context.sourceName, [format.id], reason);
  }
  return conversations;
}

/**
 * Ids come from the source; two identical chats in one file (or in one archive's exports) still
 * need distinct ids.
 */
export function withUniqueIds(conversations: Conversation[]): Conversation[] {
  const seen = new Map<string, number>();
  return conversations.map((conversation) => {
    const count = (seen.get(conversation.id) ?? 0) + 1;
    seen.set(conversation.id, count);
    return count === 1 ? conversation : { ...conversation, id: `${conversation.id}#${count}` };
  });
}

function runImport(sourceName: string, text: string, options: ImportOptions): ImportResult {
  const tooLargeText = importSizeError(sourceName, text.length);
  if (tooLargeText) throw tooLargeText;
  const normalized = normalizeText(text);
  const sniffed = sniff(normalized);
  const warnings: string[] = [];
  const context: ImportContext = { sourceName, options, warn: (message) => warnings.push(message) };
  let format: ImportFormatId;
  let conversations: Conversation[];
  switch (sniffed.kind) {
    case 'unsupported':
      throw new ImportError(sourceName, sniffed.tried, sniffed.reason);
    case 'dimmem-lines':
      format = 'dimmem-lines';
      conversations = importDimMemLines(normalized, context);
      break;
    case 'transcript':
      format = 'transcript';
      conversations = importTranscript(normalized, context);
      break;
    case 'json':
      format = sniffed.format.id;
      conversations = importJson(sniffed, context);
      break;
  }
  return { format, conversations: withUniqueIds(conversations), warnings };
}

/**
 * Imports chat text of any supported format (detected from the content, not the file name).
 * Throws one {@link ImportError} naming the source, the formats tried and what was wrong;
 * problems with single conversations inside a file are `warnings` instead.
 */
export function importText(
  sourceName: string,
  text: string,
  options: ImportOptions = {},
): ImportResult {
  try {
    return runImport(sourceName, text, options);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    // A bug or a pathological input must still reach the user as one readable line.
    const detail = error instanceof Error ? error.message : String(error);
    throw new ImportError(sourceName, [], `could not be read (${detail})`);
  }
}

function decode(sourceName: string, bytes: Uint8Array): string {
  const utf16 =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : null;
  if (utf16 === null && bytes.indexOf(0) !== -1) {
    throw new ImportError(
      sourceName,
      [],
      'it looks like a binary file (it contains NUL bytes), not text',
    );
  }
  try {
    // `fatal`: a binary or mis-encoded file is refused instead of turning into � soup.
    return new TextDecoder(utf16 ?? 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(
      sourceName,
      [],
      'it is not UTF-8 text (a binary file, or another text encoding)',
    );
  }
}

/** Imports a file's bytes: size and binary checks first, then UTF-8 (or BOM-marked UTF-16). */
export function importBytes(
  sourceName: string,
  bytes: Uint8Array,
  options: ImportOptions = {},
): ImportResult {
  const tooLargeBytes = importSizeError(sourceName, bytes.byteLength);
  if (tooLargeBytes) throw tooLargeBytes;
  if (bytes.byteLength === 0) throw new ImportError(sourceName, [], 'it is empty');
  return importText(sourceName, decode(sourceName, bytes), options);
}

/** The format a text would be imported as, or null when none fits. Never throws. */
export function detectFormat(text: string): ImportFormatId | null {
  try {
    const sniffed = sniff(normalizeText(text));
    if (sniffed.kind === 'json') return sniffed.format.id;
    return sniffed.kind === 'unsupported' ? null : sniffed.kind;
  } catch {
    return null;
  }
}

/**
 * The speakers a user can choose as "the user" (LoCoMo's two people, a transcript between named
 * people), or null when the source has an obvious user. Never throws.
 */
export function speakersOf(text: string): string[] | null {
  try {
    const normalized = normalizeText(text);
    const sniffed = sniff(normalized);
    if (sniffed.kind === 'transcript') return transcriptSpeakers(normalized);
    if (sniffed.kind !== 'json' || !sniffed.format.speakers) return null;
    const records =
      sniffed.format.records?.(sniffed.value) ??
      (Array.isArray(sniffed.value) ? sniffed.value : [sniffed.value]);
    return records.length === 0 ? null : sniffed.format.speakers(records[0]);
  } catch {
    return null;
  }
}
