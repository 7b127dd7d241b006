import type { Conversation, ImportFormatId } from '../conversation';
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
import type { ImportContext, ImportOptions } from './types';

/** Where a streamed import's conversations go, one at a time, in source order. */
export interface StreamSink {
  /** Awaited before more is read: a slow consumer (a database write) slows the reading. */
  conversation(conversation: Conversation): void | Promise<void>;
  /** Bytes of the source read so far. */
  progress?(bytesRead: number): void;
}

export interface StreamedImport {
  format: ImportFormatId;
  speakers: string[] | null;
  warnings: string[];
  conversations: number;
  /**
   * Whether the source was read one record at a time (a JSON list), or decoded whole (any other
   * format, within {@link MAX_WHOLE_TEXT_BYTES}).
   */
  streamed: boolean;
}

export interface StreamOptions {
  /** The source's size, when known: checked against the import limit before anything is read. */
  size?: number;
  signal?: AbortSignal;
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

class Aborted extends Error {
  override name = 'AbortError';
}

/**
 * Imports a source read as a stream of bytes (a browser `File.stream()`, a Node read stream, an
 * archive entry as it inflates), handing each conversation to `sink` as soon as it is read.
 *
 * A JSON list whose format reads one record at a time (ChatGPT, Claude, LongMemEval, LoCoMo,
 * ShareGPT) is split item by item and each item parsed on its own, so memory holds one
 * conversation's text, not the file's. Anything else (a transcript, JSON Lines, one object, a list
 * of bare OpenAI messages, or a list whose first items are not recognised) is decoded whole and
 * goes through {@link inspectSource}, within {@link MAX_WHOLE_TEXT_BYTES}: both give the same
 * conversations, ids and warnings for the same bytes.
 *
 * Throws one {@link ImportError} naming the source (a cut-off list says so); an abort throws an
 * `AbortError` between chunks.
 */
export async function importStream(
  sourceName: string,
  chunks: AsyncIterable<Uint8Array>,
  options: ImportOptions,
  sink: StreamSink,
  streamOptions: StreamOptions = {},
): Promise<StreamedImport> {
  const { signal, size } = streamOptions;
  if (size !== undefined) {
    const tooLarge = importSizeError(sourceName, size);
    if (tooLarge) throw tooLarge;
  }
  const warnings: string[] = [];
  const context: ImportContext = { sourceName, options, warn: (message) => warnings.push(message) };
  const splitter = new JsonArraySplitter(MAX_RECORD_BYTES);
  const ids = new UniqueIds();
  /** Raw chunks kept until the format is known, in case the source must be read whole. */
  let kept: Uint8Array[] | null = [];
  let keptBytes = 0;
  let notAList = false;
  // In an object: the closures below set these, and TypeScript would not see it on plain lets.
  const found: { converter: RecordConverter | null; speakers: string[] | null } = {
    converter: null,
    speakers: null,
  };
  let index = 0;
  let bytesRead = 0;
  /** Items read before the format was known (usually just the first). */
  let pending: { item: SplitItem; value: unknown }[] = [];

  const take = async (item: SplitItem, value: unknown) => {
    const converter = found.converter;
    if (!converter) throw new Error('no format yet');
    const at = index++;
    if (item.bytes === null) {
      converter.skip(
        `conversation ${at + 1}`,
        `it is over ${MAX_RECORD_BYTES / 1024 / 1024} MB, so it was not read`,
      );
      return;
    }
    for (const conversation of converter.add(value, at)) {
      await sink.conversation(ids.apply(conversation));
    }
  };

  /** Once an item shows the format: true when it streams, false when the source must be whole. */
  const settleFormat = (): boolean | null => {
    const first = pending.find((entry) => entry.item.bytes !== null && formatOf(entry.value));
    if (!first) return null;
    const format = formatOf(first.value)!;
    // A format that splits a whole document its own way (bare OpenAI messages) needs it whole.
    if (format.records) return false;
    found.converter = new RecordConverter(format, context);
    try {
      found.speakers = format.speakers?.(first.value) ?? null;
    } catch {
      found.speakers = null;
    }
    return true;
  };

  const readItems = async (items: SplitItem[]) => {
    for (const item of items) {
      const converter = found.converter;
      if (converter) {
        const value =
          item.bytes === null
            ? null
            : parseItem(sourceName, converter.format.id, item.bytes, index);
        await take(item, value);
        continue;
      }
      // Before the format is known, an item that does not parse means this is not a JSON list
      // of conversations (`[10:15] Anna: hi`, DimMem lines): the whole-source path says what it is.
      let value: unknown = null;
      if (item.bytes !== null) {
        try {
          value = JSON.parse(utf8.decode(item.bytes));
        } catch {
          notAList = true;
          return;
        }
      }
      pending.push({ item, value });
      const streams = settleFormat();
      if (streams === false) {
        notAList = true;
        return;
      }
      if (streams) {
        const ready = pending;
        pending = [];
        kept = null;
        for (const entry of ready) await take(entry.item, entry.value);
      }
    }
  };

  try {
    for await (const chunk of chunks) {
      if (signal?.aborted) throw new Aborted('the import was cancelled');
      bytesRead += chunk.byteLength;
      if (size === undefined) {
        const tooLarge = importSizeError(sourceName, bytesRead);
        if (tooLarge) throw tooLarge;
      }
      if (kept) {
        kept.push(chunk.slice());
        keptBytes += chunk.byteLength;
      }
      if (!notAList) {
        try {
          await readItems(splitter.push(chunk));
        } catch (error) {
          if (!(error instanceof JsonArraySyntaxError) || found.converter) throw error;
          notAList = true;
        }
      }
      if (notAList && kept) {
        const tooLarge = wholeTextSizeError(sourceName, size ?? keptBytes);
        if (tooLarge) throw tooLarge;
      }
      sink.progress?.(bytesRead);
    }
    // The list ended (or was cut off) after its format was known; a list that ended before any
    // item showed it is read whole, so its message is the whole-source one.
    if (!notAList && found.converter) await readItems(splitter.end());
  } catch (error) {
    if (error instanceof JsonArraySyntaxError) {
      const formats = found.converter ? [found.converter.format.id] : [];
      throw new ImportError(sourceName, formats, error.message);
    }
    throw error;
  }

  const streamed = found.converter;
  if (streamed && !notAList) {
    streamed.finish(() => 'it holds an empty list');
    return {
      format: streamed.format.id,
      speakers: found.speakers,
      warnings,
      conversations: streamed.conversations,
      streamed: true,
    };
  }

  // Not a list of records read one by one: decode and import it whole.
  const tooLarge = wholeTextSizeError(sourceName, keptBytes);
  if (tooLarge) throw tooLarge;
  const whole = concat(kept ?? [], keptBytes);
  kept = null;
  const source = inspectSource(sourceName, whole);
  const result = source.importWith(options);
  for (const conversation of result.conversations) {
    if (signal?.aborted) throw new Aborted('the import was cancelled');
    await sink.conversation(conversation);
  }
  return {
    format: result.format,
    speakers: source.speakers,
    warnings: result.warnings,
    conversations: result.conversations.length,
    streamed: false,
  };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
