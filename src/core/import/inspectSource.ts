import type { Conversation, ImportFormatId } from '../conversation';
import { describeShape, sniff } from './detect';
import type { Sniffed } from './detect';
import { importDimMemLines } from './dimmemLines';
import { ImportError } from './importError';
import { importSizeError } from './importLimits';
import { RecordConverter, UniqueIds } from './recordConverter';
import { importTranscript, transcriptSpeakers } from './transcript';
import { transcriptDateOrder } from './transcriptDateOrder';
import type { ImportContext, ImportOptions, ImportResult } from './types';
import { errorText } from '../errorText';

/**
 * A source read and recognised once: its format, the speakers a user may choose from, and the
 * import itself, which can run again with other choices (speaker, date) without decoding or
 * detecting again. The app's preview, its Save and the CLI all go through this.
 */
export interface InspectedSource {
  readonly sourceName: string;
  /** The detected format, or null when the source cannot be imported (see `error`). */
  readonly format: ImportFormatId | null;
  /** Why the source cannot be imported at all (too large, binary, unknown shape …), else null. */
  readonly error: ImportError | null;
  /**
   * The speakers a user can choose as "the user" (LoCoMo's two people, a transcript between named
   * people), or null when the source has an obvious user.
   */
  readonly speakers: string[] | null;
  /**
   * The conversations with these choices. Throws one {@link ImportError} naming the source, the
   * formats tried and what was wrong; problems with single conversations are `warnings`.
   */
  importWith(options?: ImportOptions): ImportResult;
}

/** Byte-order mark and Windows line ends removed: every format reads `\n` lines. */
export const normalizeText = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

/** A bug or a pathological input must still reach the user as one readable line. */
function asImportError(sourceName: string, error: unknown): ImportError {
  if (error instanceof ImportError) return error;
  return new ImportError(sourceName, [], `could not be read (${errorText(error)})`);
}

/** The records of a JSON source: the format's own split, or a list's items, or the one object. */
function recordsOf(sniffed: Extract<Sniffed, { kind: 'json' }>): unknown[] {
  return (
    sniffed.format.records?.(sniffed.value) ??
    (Array.isArray(sniffed.value) ? sniffed.value : [sniffed.value])
  );
}

function importJson(
  sniffed: Extract<Sniffed, { kind: 'json' }>,
  context: ImportContext,
): Conversation[] {
  for (const bad of sniffed.badLines) context.warn(`line ${bad.line} skipped: ${bad.reason}`);
  const converter = new RecordConverter(sniffed.format, context);
  const conversations: Conversation[] = [];
  recordsOf(sniffed).forEach((record, index) => {
    conversations.push(...converter.add(record, index, sniffed.lineNumbers?.[index]));
  });
  converter.finish(() => `it holds ${describeShape(sniffed.value)}`);
  return conversations;
}

function speakersOfSniffed(normalized: string, sniffed: Sniffed): string[] | null {
  if (sniffed.kind === 'transcript') return transcriptSpeakers(normalized);
  if (sniffed.kind !== 'json' || !sniffed.format.speakers) return null;
  const records = recordsOf(sniffed);
  return records.length === 0 ? null : sniffed.format.speakers(records[0]);
}

const refused = (sourceName: string, error: ImportError): InspectedSource => ({
  sourceName,
  format: null,
  error,
  speakers: null,
  importWith: () => {
    throw error;
  },
});

function inspectText(sourceName: string, text: string): InspectedSource {
  const tooLarge = importSizeError(sourceName, text.length);
  if (tooLarge) return refused(sourceName, tooLarge);
  const normalized = normalizeText(text);
  const sniffed = sniff(normalized);
  if (sniffed.kind === 'unsupported') {
    return refused(sourceName, new ImportError(sourceName, sniffed.tried, sniffed.reason));
  }
  let speakers: string[] | null = null;
  try {
    speakers = speakersOfSniffed(normalized, sniffed);
  } catch {
    // The import itself says what is wrong with such a source.
  }
  const format: ImportFormatId = sniffed.kind === 'json' ? sniffed.format.id : sniffed.kind;
  return {
    sourceName,
    format,
    error: null,
    speakers,
    importWith(options = {}) {
      const warnings: string[] = [];
      const context: ImportContext = {
        sourceName,
        options,
        warn: (message) => warnings.push(message),
      };
      try {
        const conversations =
          sniffed.kind === 'dimmem-lines'
            ? importDimMemLines(normalized, context)
            : sniffed.kind === 'transcript'
              ? importTranscript(normalized, context)
              : importJson(sniffed, context);
        const ids = new UniqueIds();
        const dateOrder =
          sniffed.kind === 'transcript' ? transcriptDateOrder(normalized, options) : null;
        return {
          format,
          conversations: conversations.map((c) => ids.apply(c)),
          warnings,
          ...(dateOrder ? { dateOrder: { order: dateOrder.order, reason: dateOrder.reason } } : {}),
        };
      } catch (error) {
        throw asImportError(sourceName, error);
      }
    },
  };
}

/** Text of a file: UTF-8, or UTF-16 when a byte-order mark says so; binary files refused. */
export function decodeSource(sourceName: string, bytes: Uint8Array): string {
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

/**
 * Reads a source once: pasted text, or a file's bytes (size, empty and binary checks first, then
 * UTF-8 or BOM-marked UTF-16), and detects its format from the content, not the name. Never
 * throws: a source that cannot be imported carries its `error`.
 */
export function inspectSource(sourceName: string, input: string | Uint8Array): InspectedSource {
  try {
    if (typeof input === 'string') return inspectText(sourceName, input);
    const tooLarge = importSizeError(sourceName, input.byteLength);
    if (tooLarge) return refused(sourceName, tooLarge);
    if (input.byteLength === 0) {
      return refused(sourceName, new ImportError(sourceName, [], 'it is empty'));
    }
    return inspectText(sourceName, decodeSource(sourceName, input));
  } catch (error) {
    return refused(sourceName, asImportError(sourceName, error));
  }
}
