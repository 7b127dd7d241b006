import type { ImportFormatId } from '../conversation';
import { formatLabels } from './formatLabels';

/**
 * The one error an import throws. Its message names the file, the formats tried (when any were)
 * and what was wrong, e.g. `chats.json: not a supported chat format (tried ChatGPT export, …):
 * JSON ends unexpectedly at line 3`.
 */
export class ImportError extends Error {
  override name = 'ImportError';
  readonly sourceName: string;
  readonly formatsTried: ImportFormatId[];
  /** What was wrong, without the file name and formats. */
  readonly reason: string;

  constructor(sourceName: string, formatsTried: ImportFormatId[], reason: string) {
    super(ImportError.describe(sourceName, formatsTried, reason));
    this.sourceName = sourceName;
    this.formatsTried = formatsTried;
    this.reason = reason;
  }

  private static describe(sourceName: string, tried: ImportFormatId[], reason: string): string {
    if (tried.length === 0) return `${sourceName}: ${reason}`;
    if (tried.length === 1)
      return `${sourceName}: could not import as ${formatLabels[tried[0]!]}: ${reason}`;
    const labels = tried.map((id) => formatLabels[id]).join(', ');
    return `${sourceName}: not a supported chat format (tried ${labels}): ${reason}`;
  }
}

/** A problem with one conversation inside a file: it becomes a warning, the rest still imports. */
export class ItemProblem extends Error {
  override name = 'ItemProblem';
}
