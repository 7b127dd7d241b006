import { memoryTimeWarning } from '../../core/parse/memoryTime';
import type { MemoryRecord } from '../../store/db/records';

/** A kept memory whose `time` is neither a date nor a range, with the core's reason. */
export interface TimeWarning {
  memoryId: string;
  content: string;
  reason: string;
}

/** Time warnings of one run, by window index (the run's, as `MemoryRecord.windowIndex`). */
export type WindowTimeWarnings = ReadonlyMap<number, readonly TimeWarning[]>;

export const noTimeWarnings: WindowTimeWarnings = new Map();

/**
 * Each memory's warning, worked out once per record: the list is rebuilt whenever the memories
 * change (every window a run commits), and parsing every time again took ~70 ms at 100,000.
 * Records are replaced, never mutated, when edited, so a cached answer cannot go stale.
 */
const warningOf = new WeakMap<MemoryRecord, string | null>();

function cachedTimeWarning(memory: MemoryRecord): string | null {
  let reason = warningOf.get(memory);
  if (reason === undefined) {
    reason = memoryTimeWarning(memory.time);
    warningOf.set(memory, reason);
  }
  return reason;
}

/**
 * The memories whose time could not be read as a date, by run and then by window, in the order
 * given. Derived from the memories with the same core function the run service uses for its
 * warnings, so it needs no stored record of its own, also covers memories restored from a file,
 * and a memory leaves the list once a person edits its time into a date.
 */
export function timeWarningsByRun(
  memories: readonly MemoryRecord[],
): ReadonlyMap<string, WindowTimeWarnings> {
  const byRun = new Map<string, Map<number, TimeWarning[]>>();
  for (const memory of memories) {
    if (memory.time === '') continue;
    const reason = cachedTimeWarning(memory);
    if (reason === null) continue;
    let byWindow = byRun.get(memory.runId);
    if (!byWindow) {
      byWindow = new Map();
      byRun.set(memory.runId, byWindow);
    }
    const warning = { memoryId: memory.id, content: memory.content, reason };
    const list = byWindow.get(memory.windowIndex);
    if (list) list.push(warning);
    else byWindow.set(memory.windowIndex, [warning]);
  }
  return byRun;
}
