import type { Conversation, ImportFormatId } from '../../core/conversation';
import { checkFileSize, ImportError, isZipArchive } from '../../core/import';
import type { ImportOptions } from '../../core/import';
import { UniqueIds } from '../../core/import/recordConverter';
import { importStream } from '../../core/import/streamSource';
import { summaryRowOf } from '../../core/import/summaryRow';
import type { SummaryRow } from '../../core/import/summaryRow';
import { secondsLeftAt } from '../../engine/progress/timeLeft';
import { conversationContentHash } from '../conversations/contentHash';
import type { DimmemDb } from '../db/db';
import type { ReimportChoice } from './importService';
import type { ConversationRecord } from '../db/records';
import { BatchWriter } from './batchWriter';

/** A file as the session reads it: a browser `File`, or bytes in tests. */
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

export interface SourceSummary {
  format: ImportFormatId;
  rows: SummaryRow[];
  warnings: string[];
  speakers: string[] | null;
  /** Some conversations had no times of their own: they carry an assumed date. */
  needsDate: boolean;
  userMessages: number;
  /** Whether the conversations were kept in memory, so saving does not read the file again. */
  kept: boolean;
}

export interface DuplicateRow {
  id: string;
  title: string;
  existingId: string;
  match: 'same-content' | 'same-source';
}

export interface SaveOutcome {
  saved: ConversationRecord[];
  skipped: number;
}

/**
 * Conversations are kept in memory between the preview and Save while their text is under this
 * many characters; a larger source is read a second time when it is saved.
 */
export type { SummaryRow };

export const KEEP_TEXT_CHARS = 150_000_000;

const cancelled = () => new DOMException('The import was cancelled.', 'AbortError');

const textLength = (conversation: Conversation) =>
  conversation.messages.reduce((sum, message) => sum + message.text.length, 0);

/**
 * One file's import, from its first byte to its last saved conversation, as the import worker runs
 * it (and tests run it in Node): a streaming preview, a duplicate check against what is stored,
 * and a save in batched transactions that a cancel takes back entirely.
 */
export class ImportSession {
  private options: ImportOptions = {};
  private kept: Conversation[] | null = null;
  private ids: string[] = [];
  private hashes: string[] = [];
  private titles: string[] = [];
  private summary: SourceSummary | null = null;

  constructor(
    private readonly input: ImportInput,
    private readonly openDb: () => Promise<DimmemDb>,
  ) {}

  /**
   * Reads the file through the importer once with these choices: the rows, warnings and
   * speakers the preview shows, and each conversation's content hash for the duplicate check.
   */
  async preview(
    options: ImportOptions,
    onProgress: (progress: ImportProgress) => void,
    signal: AbortSignal,
  ): Promise<SourceSummary> {
    this.options = options;
    this.summary = null;
    let kept: Conversation[] | null = [];
    let keptChars = 0;
    const rows: SummaryRow[] = [];
    const ids: string[] = [];
    const hashes: string[] = [];
    const titles: string[] = [];
    const result = await this.read(options, signal, onProgress, async (conversation) => {
      rows.push(summaryRowOf(conversation));
      ids.push(conversation.id);
      titles.push(conversation.title);
      hashes.push(await conversationContentHash(conversation));
      if (kept) {
        keptChars += textLength(conversation);
        kept.push(conversation);
        if (keptChars > KEEP_TEXT_CHARS) kept = null;
      }
    });
    this.kept = kept;
    this.ids = ids;
    this.hashes = hashes;
    this.titles = titles;
    this.summary = {
      format: result.format,
      rows,
      warnings: result.warnings,
      speakers: result.speakers && result.speakers.length > 1 ? result.speakers : null,
      needsDate: rows.some((row) => row.assumedDate),
      userMessages: rows.reduce((sum, row) => sum + row.userMessageCount, 0),
      kept: kept !== null,
    };
    return this.summary;
  }

  /** The conversations already stored, by content (any id) or by id (changed since). */
  async check(): Promise<DuplicateRow[]> {
    if (!this.summary) throw new Error('preview the file before checking it');
    const stored = await this.storedIndex();
    const duplicates: DuplicateRow[] = [];
    this.ids.forEach((id, i) => {
      const match = matchOf(stored, id, this.hashes[i]!);
      if (match) duplicates.push({ id, title: this.titles[i]!, ...match });
    });
    return duplicates;
  }

  /**
   * Saves the previewed conversations: new ones as they are; for one already stored, `choices`
   * says skip (the default), replace or keep both. Whole conversations are written in batched
   * transactions; on cancel (or a failure) everything this save wrote is taken back.
   */
  async save(
    choices: Record<string, ReimportChoice>,
    importedAt: number,
    onProgress: (progress: ImportProgress) => void,
    signal: AbortSignal,
  ): Promise<SaveOutcome> {
    if (!this.summary) throw new Error('preview the file before saving it');
    const db = await this.openDb();
    const stored = await this.storedIndex();
    const taken = new Set([...stored.byId.keys(), ...this.ids]);
    const writer = new BatchWriter(db, importedAt);
    const total = this.ids.length;
    const started = performance.now();
    let done = 0;
    let skipped = 0;
    const report = () =>
      onProgress({
        phase: 'saving',
        done,
        total,
        conversations: done,
        secondsLeft: secondsLeftAt(done / total, (performance.now() - started) / 1000),
      });
    const saveOne = async (conversation: Conversation) => {
      if (signal.aborted) throw cancelled();
      const i = done++;
      const hash = this.hashes[i];
      if (this.ids[i] !== conversation.id || hash === undefined) {
        throw new ImportError(
          this.input.name,
          [],
          'it changed since it was previewed; add it again to import it',
        );
      }
      const match = matchOf(stored, conversation.id, hash);
      if (!match) {
        await writer.add(conversation, hash, false);
      } else {
        const choice = choices[conversation.id] ?? 'skip';
        if (choice === 'skip') skipped++;
        else if (choice === 'replace') {
          await writer.add({ ...conversation, id: match.existingId }, hash, true);
        } else {
          const copy = freeCopy(taken, conversation.id);
          taken.add(copy.id);
          const title = `${conversation.title} (${copy.number})`;
          await writer.add({ ...conversation, id: copy.id, title }, hash, false);
        }
      }
      if (done % 50 === 0) report();
    };
    try {
      if (this.kept) {
        for (const conversation of this.kept) await saveOne(conversation);
      } else {
        await this.read(this.options, signal, () => undefined, saveOne);
      }
      if (done !== total) {
        throw new ImportError(this.input.name, [], 'it changed since it was previewed');
      }
      if (signal.aborted) throw cancelled();
      await writer.flush();
    } catch (error) {
      await writer.rollBack();
      throw error;
    }
    report();
    return { saved: writer.saved, skipped };
  }

  private async storedIndex(): Promise<StoredIndex> {
    const db = await this.openDb();
    const records = await db.getAll('conversations');
    const byId = new Map<string, ConversationRecord>();
    const byHash = new Map<string, ConversationRecord[]>();
    for (const record of records) {
      byId.set(record.id, record);
      const list = byHash.get(record.contentHash);
      if (list) list.push(record);
      else byHash.set(record.contentHash, [record]);
    }
    return { byId, byHash };
  }

  /** One pass over the file (or the chat exports in a zip archive), a conversation at a time. */
  private async read(
    options: ImportOptions,
    signal: AbortSignal,
    onProgress: (progress: ImportProgress) => void,
    onConversation: (conversation: Conversation) => Promise<void> | void,
  ) {
    const { input } = this;
    const tooLarge = await checkFileSize(input.name, input.size, () => input.head());
    if (tooLarge) throw tooLarge;
    const entries = isZipArchive(await input.head())
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
}

interface StoredIndex {
  byId: Map<string, ConversationRecord>;
  byHash: Map<string, ConversationRecord[]>;
}

/** As the app's check before saving: the same messages under any id, else the same id. */
function matchOf(
  stored: StoredIndex,
  id: string,
  hash: string,
): Pick<DuplicateRow, 'existingId' | 'match'> | null {
  const sameContent = stored.byHash.get(hash) ?? [];
  const existing = sameContent.find((record) => record.id === id) ?? sameContent[0];
  if (existing) return { existingId: existing.id, match: 'same-content' };
  if (stored.byId.has(id)) return { existingId: id, match: 'same-source' };
  return null;
}

/** The first id not taken: `id~2`, `id~3`, … (as a single import's "keep both"). */
function freeCopy(taken: Set<string>, id: string): { id: string; number: number } {
  for (let number = 2; ; number++) {
    const candidate = `${id}~${number}`;
    if (!taken.has(candidate)) return { id: candidate, number };
  }
}

/** The chat exports inside a zip archive, each read from memory in chunks. */
async function archiveEntries(input: ImportInput) {
  const { openChatArchive } = await import('../../core/import/chatArchive');
  const entries = openChatArchive(input.name, await input.bytes());
  return entries.map((entry) => {
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
