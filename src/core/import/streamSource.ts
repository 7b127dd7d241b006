import type { Conversation } from '../conversation';
import { StreamImporter } from './streamImporter';
import type { StreamedImport } from './streamImporter';
import type { ImportOptions, ImportResult } from './types';

export type { StreamedImport } from './streamImporter';

/** Where a streamed import's conversations go, one at a time, in source order. */
export interface StreamSink {
  /** Awaited before more is read: a slow consumer (a database write) slows the reading. */
  conversation(conversation: Conversation): void | Promise<void>;
  /** Bytes of the source read so far. */
  progress?(bytesRead: number): void;
}

export interface StreamOptions {
  /** The source's size, when known: checked against the import limit before anything is read. */
  size?: number;
  signal?: AbortSignal;
}

class Aborted extends Error {
  override name = 'AbortError';
}

/**
 * Imports a source read as a stream of bytes (a browser `File.stream()`, a Node read stream),
 * handing each conversation to `sink` as soon as it is read (see {@link StreamImporter}). An
 * abort throws an `AbortError` between chunks.
 */
export async function importStream(
  sourceName: string,
  chunks: AsyncIterable<Uint8Array>,
  options: ImportOptions,
  sink: StreamSink,
  streamOptions: StreamOptions = {},
): Promise<StreamedImport> {
  const { signal, size } = streamOptions;
  const importer = new StreamImporter(sourceName, options, size);
  for await (const chunk of chunks) {
    if (signal?.aborted) throw new Aborted('the import was cancelled');
    for (const conversation of importer.push(chunk)) await sink.conversation(conversation);
    sink.progress?.(importer.read);
  }
  const { conversations, result } = importer.end();
  for (const conversation of conversations) {
    if (signal?.aborted) throw new Aborted('the import was cancelled');
    await sink.conversation(conversation);
  }
  return result;
}

const PIECE_BYTES = 1024 * 1024;

/**
 * Imports bytes already in memory a megabyte at a time, so a file of hundreds of megabytes is
 * never decoded into one string (which JavaScript caps at about 512 M characters).
 */
export function importBytesInPieces(
  sourceName: string,
  bytes: Uint8Array,
  options: ImportOptions,
): ImportResult {
  const importer = new StreamImporter(sourceName, options, bytes.byteLength);
  const conversations: Conversation[] = [];
  for (let at = 0; at < bytes.byteLength; at += PIECE_BYTES) {
    conversations.push(...importer.push(bytes.subarray(at, at + PIECE_BYTES)));
  }
  const rest = importer.end();
  conversations.push(...rest.conversations);
  const result: ImportResult = {
    format: rest.result.format,
    conversations,
    warnings: rest.result.warnings,
  };
  if (rest.result.dateOrder) result.dateOrder = rest.result.dateOrder;
  return result;
}
