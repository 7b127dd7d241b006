import type { Conversation, ImportFormatId } from '../conversation';
import type { ImportContext } from './types';

/** One JSON-based format: how to recognise it and how to turn one record into conversations. */
export interface JsonFormat {
  id: ImportFormatId;
  /** Cheap check on the first record: does it carry this format's tell-tale keys? */
  looksLike(record: unknown): boolean;
  /** The records of a parsed document; by default the items of a list, or the one object. */
  records?(value: unknown): unknown[];
  /** One record → its conversations; throws for a record it cannot read (→ a warning). */
  convert(record: unknown, index: number, context: ImportContext): Conversation[];
  /** The speakers a user may choose between, for multi-speaker formats. */
  speakers?(record: unknown): string[] | null;
}
