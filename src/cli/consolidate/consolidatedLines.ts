import type { ConsolidatedMemory, PairDecision } from '../../core/consolidate';
import type { MemoryLineProvenance, ReadMemoryLine } from '../../core/exchange/memoryLine';
import { formatMemoryLine } from '../../core/exchange/memoryLine';
import type { ConsolidationRun } from './consolidationRun';
import type { InputLine, MemoryLinesFile } from './memoryLinesFile';

/** Provenance to write again: what the line held, with its id; defaults are not added. */
function writtenProvenance(read: ReadMemoryLine, id: string): MemoryLineProvenance {
  const { origin, edited, model, ...rest } = read.provenance;
  return {
    ...rest,
    id,
    model: model ?? '',
    origin: origin === 'extracted' ? undefined : origin,
    edited: edited ? true : undefined,
  };
}

/** What a new memory's line says of its making: the decision, who decided and why. */
const decisionFields = ({ decision, by, reasoning }: PairDecision) => ({
  decision: decision === 'KEEP_BOTH' ? undefined : decision,
  decidedBy: by,
  decisionReasoning: reasoning,
});

/**
 * The consolidated JSONL: every input memory line in its place — unchanged, or, when it became an
 * earlier version, with `supersededBy` (and `validUntil`) as a version 2 line — then each new
 * memory, on its newest original's conversation, run and window, with `mergedFrom` and what
 * decided it (`decision`, `decidedBy`, `decisionReasoning`); a new memory a later pass replaced
 * is an earlier version too. Nothing is dropped: the output holds every memory the input held.
 */
export function consolidatedJsonl(file: MemoryLinesFile, run: ConsolidationRun): string {
  const byId = new Map<string, InputLine>(file.lines.map((line) => [line.id, line]));
  const out: string[] = [];
  for (const line of file.lines) {
    const earlier = run.earlierVersions.get(line.id);
    if (earlier === undefined) {
      out.push(line.text);
      continue;
    }
    out.push(
      formatMemoryLine(line.read.memory, {
        ...writtenProvenance(line.read, line.id),
        supersededBy: earlier.supersededBy,
        validUntil: earlier.validUntil,
      }),
    );
  }
  // A new memory's line: its newest original's, which may itself be a new memory of a pass before.
  const baseLines = new Map<string, InputLine>();
  const baseOf = (created: ConsolidatedMemory): InputLine => {
    const newest = created.mergedFrom.at(-1)!;
    return byId.get(newest) ?? baseLines.get(newest)!;
  };
  for (const created of run.created) {
    const base = baseOf(created);
    baseLines.set(created.id, base);
    const { id, conversationId: _conversationId, locked: _locked, mergedFrom, ...memory } = created;
    out.push(
      formatMemoryLine(memory, {
        ...writtenProvenance(base.read, id),
        edited: undefined,
        mergedFrom,
        ...decisionFields(run.decisionOf.get(id)!),
        ...run.earlierVersions.get(id),
      }),
    );
  }
  return out.map((line) => `${line}\n`).join('');
}
