import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { ConsolidationMemory } from '../../../../src/core/consolidate';
import { parseMemoryLine } from '../../../../src/core/exchange/memoryLine';

/** The hand-made fixture: known duplicates, conflicts and lookalikes (see its test). */
export const consolidateFixture = fileURLToPath(
  new URL('../../../fixtures/consolidate/memories.jsonl', import.meta.url),
);

/** The fixture's memories as consolidation reads them; edited ones are locked. */
export function fixtureMemories(): ConsolidationMemory[] {
  return readFileSync(consolidateFixture, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { memory, provenance } = parseMemoryLine(line);
      return {
        ...memory,
        id: provenance.id!,
        conversationId: provenance.conversationId,
        locked: provenance.edited,
      };
    });
}
