import type { ConsolidationPass } from '../../core/consolidate';
import type { MemoryLineProvenance, ReadMemoryLine } from '../../core/exchange/memoryLine';
import { formatMemoryLine } from '../../core/exchange/memoryLine';
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

/**
 * The consolidated JSONL: every input memory line in its place — unchanged, or, when it became an
 * earlier version, with `supersededBy` (and `validUntil`) as a version 2 line — then each new
 * memory, on its newest original's conversation, run and window, with `mergedFrom`. Nothing is
 * dropped: the output holds every memory the input held.
 */
export function consolidatedJsonl(file: MemoryLinesFile, pass: ConsolidationPass): string {
  const byId = new Map<string, InputLine>(file.lines.map((line) => [line.id, line]));
  const out: string[] = [];
  for (const line of file.lines) {
    const earlier = pass.earlierVersions.get(line.id);
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
  for (const created of pass.created) {
    const base = byId.get(created.mergedFrom.at(-1)!)!;
    const { id, conversationId: _conversationId, locked: _locked, mergedFrom, ...memory } = created;
    out.push(
      formatMemoryLine(memory, {
        ...writtenProvenance(base.read, id),
        edited: undefined,
        mergedFrom,
      }),
    );
  }
  return out.map((line) => `${line}\n`).join('');
}
