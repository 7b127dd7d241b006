import type { Conversation, ImportFormatId } from '../conversation';
import { concatBytes } from '../concatBytes';
import { jsonFormats } from './detect';
import { ImportError } from './importError';
import { importSizeError, MAX_RECORD_BYTES, wholeTextSizeError } from './importLimits';
import { inspectSource } from './inspectSource';
import { describeJsonSyntaxError } from './jsonInput';
import type { JsonFormat } from './jsonFormat';
import { JsonArraySplitter, JsonArraySyntaxError } from './jsonArraySplitter';
import type { SplitItem } from './jsonArraySplitter';
import { RecordConverter, UniqueIds } from './recordConverter';
import { isRecord } from './schemaIssue';
import type { AppliedDateOrder, ImportContext, ImportOptions } from './types';

export interface StreamedImport {
  format: ImportFormatId;
  speakers: string[] | null;
  warnings: string[];
  conversations: number;
  /** Set for a transcript with numeric dates: how they were read. */
  dateOrder?: AppliedDateOrder;
  /**
   * Whether the source was read one record at a time (a JSON list), or decoded whole (any other
   * format, within {@link MAX_WHOLE_TEXT_BYTES}).
   */
  streamed: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The first record that is an object or a list tells the format, as for a whole document. */
const formatOf = (record: unknown): JsonFormat | null =>
  isRecord(record) || Array.isArray(record)
    ? (jsonFormats.find((format) => format.looksLike(record)) ?? null)
    : null;

/** Parses one item of the list; a syntax error names the item and its place in the file. */
function parseItem(sourceName: string, format: ImportFormatId, bytes: Uint8Array, index: number) {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ImportError(sourceName, [format], `conversation ${index + 1} is not UTF-8 text`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ImportError(
      sourceName,
      [format],
      `conversation ${index + 1}: ${describeJsonSyntaxError(error, text)}`,
    );
  }
}

/**
 * A source fed chunk by chunk, synchronously: each `push` returns the conversations the chunk
 * completed, `end` the rest and the result. `importStream` (./streamSource) drives it from a stream; a caller
 * holding the bytes already drives it from memory (see `importBytesInPieces` in ./streamSource).
 *
 * A JSON list whose format reads one record at a time (ChatGPT, Claude, LongMemEval, LoCoMo,
 * ShareGPT) is split item by item and each item parsed on its own, so memory holds one
 * conversation's text, not the file's. Anything else (a transcript, JSON Lines, one object, a list
 * of bare OpenAI messages, or a list whose first items are not recognised) is decoded whole and
 * goes through {@link inspectSource}, within {@link MAX_WHOLE_TEXT_BYTES}: both give the same
 * conversations, ids and warnings for the same bytes. Errors are one {@link ImportError} naming
 * the source (a cut-off list says so).
 */
export class StreamImporter {
  private readonly warnings: string[] = [];
  private readonly context: ImportContext;
  private readonly splitter = new JsonArraySplitter(MAX_RECORD_BYTES);
  private readonly ids = new UniqueIds();
  /** Raw chunks kept until the format is known, in case the source must be read whole. */
  private kept: Uint8Array[] | null = [];
  private keptBytes = 0;
  private notAList = false;
  private converter: RecordConverter | null = null;
  private speakers: string[] | null = null;
  private index = 0;
  private bytesRead = 0;
  /** Items read before the format was known (usually just the first). */
  private pending: { item: SplitItem; value: unknown }[] = [];
  private out: Conversation[] = [];

  constructor(
    private readonly sourceName: string,
    private readonly options: ImportOptions,
    private readonly size?: number,
  ) {
    this.context = { sourceName, options, warn: (message) => this.warnings.push(message) };
    if (size !== undefined) {
      const tooLarge = importSizeError(sourceName, size);
      if (tooLarge) throw tooLarge;
    }
  }

  /** Bytes pushed so far. */
  get read(): number {
    return this.bytesRead;
  }

  push(chunk: Uint8Array): Conversation[] {
    this.bytesRead += chunk.byteLength;
    if (this.size === undefined) {
      const tooLarge = importSizeError(this.sourceName, this.bytesRead);
      if (tooLarge) throw tooLarge;
    }
    if (this.kept) {
      this.kept.push(chunk.slice());
      this.keptBytes += chunk.byteLength;
    }
    if (!this.notAList) {
      this.guard(() => this.readItems(this.splitter.push(chunk)));
    }
    if (this.notAList) {
      const tooLarge = wholeTextSizeError(this.sourceName, this.size ?? this.keptBytes);
      if (tooLarge) throw tooLarge;
    }
    return this.drain();
  }

  end(): { conversations: Conversation[]; result: StreamedImport } {
    // The list ended (or was cut off) after its format was known; a list that ended before any
    // item showed it is read whole, so its message is the whole-source one.
    if (!this.notAList && this.converter) this.guard(() => this.readItems(this.splitter.end()));
    const converter = this.converter;
    if (converter && !this.notAList) {
      converter.finish(() => 'it holds an empty list');
      return {
        conversations: this.drain(),
        result: {
          format: converter.format.id,
          speakers: this.speakers,
          warnings: this.warnings,
          conversations: converter.conversations,
          streamed: true,
        },
      };
    }
    // Not a list of records read one by one: decode and import it whole.
    const tooLarge = wholeTextSizeError(this.sourceName, this.keptBytes);
    if (tooLarge) throw tooLarge;
    const kept = this.kept ?? [];
    const whole = kept.length === 1 ? kept[0]! : concatBytes(kept);
    this.kept = null;
    const source = inspectSource(this.sourceName, whole);
    const imported = source.importWith(this.options);
    const result: StreamedImport = {
      format: imported.format,
      speakers: source.speakers,
      warnings: imported.warnings,
      conversations: imported.conversations.length,
      streamed: false,
    };
    if (imported.dateOrder) result.dateOrder = imported.dateOrder;
    return { conversations: imported.conversations, result };
  }

  private drain(): Conversation[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** A syntax error of the list itself: before the format is known, the whole path says it. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      if (!(error instanceof JsonArraySyntaxError)) throw error;
      if (!this.converter) {
        this.notAList = true;
        return;
      }
      throw new ImportError(this.sourceName, [this.converter.format.id], error.message);
    }
  }

  private take(item: SplitItem, value: unknown): void {
    const converter = this.converter!;
    const at = this.index++;
    if (item.bytes === null) {
      converter.skip(
        `conversation ${at + 1}`,
        `it is over ${MAX_RECORD_BYTES / 1024 / 1024} MB, so it was not read`,
      );
      return;
    }
    for (const conversation of converter.add(value, at))
      this.out.push(this.ids.apply(conversation));
  }

  /** Once an item shows the format: true when it streams, false when the source must be whole. */
  private settleFormat(): boolean | null {
    const first = this.pending.find((entry) => entry.item.bytes !== null && formatOf(entry.value));
    if (!first) return null;
    const format = formatOf(first.value)!;
    // A format that splits a whole document its own way (bare OpenAI messages) needs it whole.
    if (format.records) return false;
    this.converter = new RecordConverter(format, this.context);
    try {
      this.speakers = format.speakers?.(first.value) ?? null;
    } catch {
      this.speakers = null;
    }
    return true;
  }

  private readItems(items: SplitItem[]): void {
    for (const item of items) {
      const converter = this.converter;
      if (converter) {
        const value =
          item.bytes === null
            ? null
            : parseItem(this.sourceName, converter.format.id, item.bytes, this.index);
        this.take(item, value);
        continue;
      }
      // Before the format is known, an item that does not parse means this is not a JSON list
      // of conversations (`[10:15] Anna: hi`, DimMem lines): the whole-source path says what it is.
      let value: unknown = null;
      if (item.bytes !== null) {
        try {
          value = JSON.parse(utf8.decode(item.bytes));
        } catch {
          this.notAList = true;
          return;
        }
      }
      this.pending.push({ item, value });
      const streams = this.settleFormat();
      if (streams === false) {
        this.notAList = true;
        return;
      }
      if (streams) {
        const ready = this.pending;
        this.pending = [];
        this.kept = null;
        for (const entry of ready) this.take(entry.item, entry.value);
      }
    }
  }
}
