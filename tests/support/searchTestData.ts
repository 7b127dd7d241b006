import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parseMemoryLine } from '../../src/core/exchange/memoryLine';
import type { ExtractedMemory } from '../../src/core/memory';
import type { SearchableMemory } from '../../src/core/search';

export const searchFixture = path.resolve(__dirname, '../fixtures/search/memories.jsonl');

export type FixtureMemory = ExtractedMemory & SearchableMemory;

/** The hand-written search fixture, read with the memory-line reader. */
export function fixtureMemories(): FixtureMemory[] {
  return readFileSync(searchFixture, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const { memory, provenance } = parseMemoryLine(line);
      return { ...memory, id: provenance.id! };
    });
}
