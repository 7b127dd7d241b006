import type { Conversation, ImportFormatId } from '../../core/conversation';
import { checkFileSize, isZipArchive } from '../../core/import';
import type { ImportOptions } from '../../core/import';
import { sourcesOfBytes } from '../../core/import/fileSources';
import { UniqueIds } from '../../core/import/recordConverter';
import { importStream } from '../../core/import/streamSource';
import { secondsLeftAt } from '../../engine/progress/timeLeft';

/** A file as the import session reads it: a browser `File`, or bytes in tests. */
export interface ImportInput {
  name: string;
  size: number;
  /** The first bytes (four are enough to tell a zip archive). */
  head(): Promise<Uint8Array>;
  /** The content as a stream of chunks, read again for each pass. */
  chunks(): AsyncIterable<Uint8Array>;
  /** The whole content (a zip archive is opened from it). */
  bytes(): Promise<Uint8Array>;
}

export interface ImportProgress {
  phase: 'reading' | 'saving';
  /** Bytes read of `totalBytes` (reading), or conversations done of `totalConversations` (saving). */
  done: number;
  total: number;
  conversations: number;
  secondsLeft: number | null;
}

/** What one pass learnt of the source besides its conversations. */
export interface PassResult {
  format: ImportFormatId;
  speakers: string[] | null;
  warnings: string[];
}

export const cancelled = () => new DOMException('The import was cancelled.', 'AbortError');

/** One part of the source to stream: the file itself, or one chat export of a zip archive. */
interface PassEntry {
  name: string;
  size: number;
  chunks: () => AsyncIterable<Uint8Array>;
  warnings: string[];
}

/**
 * One pass over a file (or the chat exports in a zip archive), a conversation at a time, with
 * reading progress at most every 100 ms. The file's size is checked first, as core's file opener
 * checks it; a zip archive is opened from memory by core's `sourcesOfBytes`, anything else is
 * streamed and never held whole.
 */
export async function readSourcePass(
  input: ImportInput,
  options: ImportOptions,
  signal: AbortSignal,
  onProgress: (progress: ImportProgress) => void,
  onConversation: (conversation: Conversation) => Promise<void> | void,
): Promise<PassResult> {
  const tooLarge = await checkFileSize(input.name, input.size, () => input.head());
  if (tooLarge) throw tooLarge;
  const entries: PassEntry[] = isZipArchive(await input.head())
    ? await archiveEntries(input)
    : [{ name: input.name, size: input.size, chunks: () => input.chunks(), warnings: [] }];
  const total = entries.reduce((sum, entry) => sum + entry.size, 0);
  const ids = new UniqueIds();
  const started = performance.now();
  let before = 0;
  let conversations = 0;
  let lastReport = 0;
  let format: ImportFormatId | null = null;
  let speakers: string[] | null = null;
  const warnings: string[] = [];
  for (const entry of entries) {
    const result = await importStream(
      entry.name,
      entry.chunks(),
      options,
      {
        conversation: async (conversation) => {
          conversations++;
          await onConversation(ids.apply(conversation));
        },
        progress: (bytes) => {
          const now = performance.now();
          if (now - lastReport < 100) return;
          lastReport = now;
          const done = before + bytes;
          onProgress({
            phase: 'reading',
            done,
            total,
            conversations,
            secondsLeft: secondsLeftAt(done / total, (now - started) / 1000),
          });
        },
      },
      { size: entry.size, signal },
    );
    before += entry.size;
    format ??= result.format;
    speakers ??= result.speakers;
    const prefix = entries.length > 1 ? `${entry.name}: ` : '';
    warnings.push(...entry.warnings, ...result.warnings.map((warning) => prefix + warning));
  }
  if (signal.aborted) throw cancelled();
  return { format: format!, speakers, warnings };
}

/** The chat exports inside a zip archive, each read from memory in chunks. */
async function archiveEntries(input: ImportInput): Promise<PassEntry[]> {
  const { sources } = await sourcesOfBytes(input.name, await input.bytes());
  return sources.map((entry) => {
    if (entry.error) throw entry.error;
    const bytes = entry.bytes;
    return {
      name: entry.name,
      size: bytes.byteLength,
      chunks: () => chunksOf(bytes),
      // What the archive said of this export (one it held twice), named after the archive.
      warnings: entry.warnings.map((warning) => `${input.name}: ${warning}`),
    };
  });
}

const CHUNK_BYTES = 1024 * 1024;

/** Bytes in memory as a stream of 1 MB chunks (views, not copies). */
export async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES) {
    yield bytes.subarray(at, at + CHUNK_BYTES);
  }
}
