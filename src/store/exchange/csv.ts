import Papa from 'papaparse';

import { toIsoDate, toIsoMillis } from '../../core/time/localTime';
import type { MemoryRecord } from '../db/records';

export const csvColumns = [
  'id',
  'content',
  'memory_type',
  'time',
  'time_start',
  'time_end',
  'location',
  'reason',
  'purpose',
  'keywords',
  'conversation_id',
  'conversation_title',
  'message_id',
  'message_time',
  'message_text',
  'run_id',
  'window_index',
  'model_id',
  'origin',
  'edited',
  'created_at',
] as const;

/**
 * A cell a spreadsheet would read as a formula (or whose leading tab/CR hides one). papaparse's own
 * `escapeFormulae: true` pattern ends in `.*$` and so misses such a cell when it spans lines.
 */
const formulaStart = /^[=+\-@\t\r]/;

/** Keywords are joined with this; keywords themselves rarely contain it. */
export const KEYWORD_SEPARATOR = '; ';

/**
 * RFC 4180 CSV (papaparse), one memory a row, with a header. Cells that begin with `=`, `+`, `-`,
 * `@`, tab or CR get a leading `'` so spreadsheets show them as text instead of running them.
 */
export function memoriesToCsv(
  memories: readonly MemoryRecord[],
  titles: ReadonlyMap<string, string> = new Map(),
): string {
  const rows = memories.map((memory) => [
    memory.id,
    memory.content,
    memory.memoryType,
    memory.time,
    memory.timeStart === null ? '' : toIsoDate(memory.timeStart),
    memory.timeEnd === null ? '' : toIsoDate(memory.timeEnd),
    memory.location,
    memory.reason,
    memory.purpose,
    memory.keywords.join(KEYWORD_SEPARATOR),
    memory.conversationId,
    titles.get(memory.conversationId) ?? '',
    memory.messageId,
    toIsoMillis(memory.messageTimestamp),
    memory.messageText,
    memory.runId,
    String(memory.windowIndex),
    memory.modelId,
    memory.origin,
    memory.edited ? 'true' : 'false',
    new Date(memory.createdAt).toISOString(),
  ]);
  return Papa.unparse(
    { fields: [...csvColumns], data: rows },
    { escapeFormulae: formulaStart, newline: '\r\n' },
  );
}
