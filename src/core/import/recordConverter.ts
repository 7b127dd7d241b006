import type { Conversation } from '../conversation';
import { ImportError } from './importError';
import type { JsonFormat } from './jsonFormat';
import { isRecord } from './schemaIssue';
import type { ImportContext } from './types';
import { errorText } from '../errorText';

/** A label for one record in warnings: `conversation 3 ("Trip to Rome")` or `line 7`. */
export function recordLabel(record: unknown, index: number, lineNumber?: number): string {
  const base = lineNumber === undefined ? `conversation ${index + 1}` : `line ${lineNumber}`;
  if (!isRecord(record)) return base;
  const title = [record.title, record.name, record.question_id, record.sample_id].find(
    (value) => typeof value === 'string' && value.trim() !== '',
  );
  return typeof title === 'string' ? `${base} (${JSON.stringify(title)})` : base;
}

/**
 * Ids come from the source; two identical chats in one file (or in one archive's exports) still
 * need distinct ids: the second `id` becomes `id#2`. Kept across calls, so a source read one
 * record at a time gets the same ids as one read whole.
 */
export class UniqueIds {
  private readonly seen = new Map<string, number>();

  apply(conversation: Conversation): Conversation {
    const count = (this.seen.get(conversation.id) ?? 0) + 1;
    this.seen.set(conversation.id, count);
    return count === 1 ? conversation : { ...conversation, id: `${conversation.id}#${count}` };
  }
}

/**
 * Turns a JSON format's records into conversations one at a time, the same way whether the
 * records come from one parsed document or from a stream: a record the format cannot read becomes
 * a warning naming it; only a source with no conversation at all fails.
 */
export class RecordConverter {
  private firstProblem: string | null = null;
  records = 0;
  conversations = 0;

  constructor(
    readonly format: JsonFormat,
    private readonly context: ImportContext,
  ) {}

  /** The conversations of record `index` (0-based), or none when it was skipped with a warning. */
  add(record: unknown, index: number, lineNumber?: number): Conversation[] {
    this.records += 1;
    try {
      const converted = this.format.convert(record, index, this.context);
      this.conversations += converted.length;
      return converted;
    } catch (error) {
      if (error instanceof ImportError) throw error;
      const detail = errorText(error);
      this.skip(recordLabel(record, index, lineNumber), detail);
      return [];
    }
  }

  /** A record that could not even be parsed (or was too large): a warning, like a bad record. */
  skip(label: string, detail: string): void {
    this.firstProblem ??= `${label}: ${detail}`;
    this.context.warn(`${label} skipped: ${detail}`);
  }

  /** Throws when nothing was imported: why the first record failed, or `emptyReason`. */
  finish(emptyReason: () => string): void {
    if (this.conversations > 0) return;
    const reason =
      this.records === 0 && this.firstProblem === null ? emptyReason() : this.firstProblem;
    throw new ImportError(this.context.sourceName, [this.format.id], reason ?? emptyReason());
  }
}
