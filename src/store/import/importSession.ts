import type { Conversation, ImportFormatId } from '../../core/conversation';
import { ImportError } from '../../core/import';
import type { ImportOptions } from '../../core/import';
import { summaryRowOf } from '../../core/import/summaryRow';
import type { SummaryRow } from '../../core/import/summaryRow';
import { secondsLeftAt } from '../../engine/progress/timeLeft';
import { conversationContentHash } from '../conversations/contentHash';
import type { DimmemDb } from '../db/db';
import type { ConversationRecord } from '../db/records';
import { BatchWriter } from './batchWriter';
import type { ReimportChoice } from './importService';
import type { ImportInput, ImportProgress } from './sourcePass';
import { cancelled, readSourcePass } from './sourcePass';
import type { StoredMatchKind } from './storedIndex';
import { freeCopy, loadStoredIndex, matchInIndex } from './storedIndex';

export type { SummaryRow };

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
  match: StoredMatchKind;
}

export interface SaveOutcome {
  saved: ConversationRecord[];
  skipped: number;
}

/**
 * Conversations are kept in memory between the preview and Save while their text is under this
 * many characters; a larger source is read a second time when it is saved.
 */
export const KEEP_TEXT_CHARS = 150_000_000;

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
    const result = await readSourcePass(
      this.input,
      options,
      signal,
      onProgress,
      async (conversation) => {
        rows.push(summaryRowOf(conversation));
        ids.push(conversation.id);
        titles.push(conversation.title);
        hashes.push(await conversationContentHash(conversation));
        if (kept) {
          keptChars += textLength(conversation);
          kept.push(conversation);
          if (keptChars > KEEP_TEXT_CHARS) kept = null;
        }
      },
    );
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
    const stored = await loadStoredIndex(await this.openDb());
    const duplicates: DuplicateRow[] = [];
    this.ids.forEach((id, i) => {
      const match = matchInIndex(stored, id, this.hashes[i]!);
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
    const stored = await loadStoredIndex(db);
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
      const match = matchInIndex(stored, conversation.id, hash);
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
        await readSourcePass(this.input, this.options, signal, () => undefined, saveOne);
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
}
