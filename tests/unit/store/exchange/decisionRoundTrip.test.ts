import { describe, expect, it } from 'vitest';

import { useConsolidationStore } from '../../../../src/store/consolidation/consolidationStore';
import { exportMemories } from '../../../../src/store/exchange/memoryExport';
import { createRestoreService } from '../../../../src/store/exchange/memoryRestore';
import { loadAllMemories } from '../../../../src/store/memories/memoryRepository';
import { createPublisher } from '../../../../src/store/tabs/publish';
import { freshDb } from '../../../support/storeFixtures';
import { fixtureDb, MODEL_LABEL, openTab } from '../consolidation/consolidationTestSupport';

const MERGED_BERLIN = 'consolidated-1c067b4df05e07';
const byId = <T extends { id: string }>(records: T[]) =>
  [...records].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('a JSONL export with history', () => {
  it('keeps each consolidated memory’s decision, who decided and why, through a restore', async () => {
    const db = await fixtureDb();
    const tab = openTab(db);
    useConsolidationStore.setState({ autoMergeExact: true });
    // The first detection merges the exact duplicates; the second pairs the merged Berlin memory.
    await tab.service.detect();
    await tab.service.detect();
    await tab.service.decide();
    await tab.service.accept(`${MERGED_BERLIN}~mem-lisbon`);
    await tab.service.accept('mem-carbonara-1~mem-carbonara-2', {
      content: 'Loved the carbonara.',
    });

    const file = await exportMemories('jsonl', { kind: 'all' }, { db, includeHistory: true });
    const lines = file.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const decided = lines.filter((line) => line.decidedBy !== undefined);
    expect(decided.map((line) => [line.version, line.decision, line.decidedBy])).toEqual(
      expect.arrayContaining([
        [2, 'MERGE', 'rule: exact duplicate'],
        [2, 'SUPERSEDE', MODEL_LABEL],
        [2, 'MERGE', 'you'],
      ]),
    );
    const lisbon = decided.find((line) => line.decidedBy === MODEL_LABEL)!;
    expect(lisbon).toMatchObject({
      content: 'The user lives in Lisbon.',
      mergedFrom: [MERGED_BERLIN, 'mem-lisbon'],
      decisionReasoning: 'supersede by the fake model',
    });
    // Memories nobody consolidated carry no decision.
    expect(lines.find((line) => line.id === 'mem-coffee-2')).not.toHaveProperty('decidedBy');

    const empty = await freshDb();
    const publish = createPublisher({ db: async () => empty, channel: null }).publish;
    await createRestoreService({ db: async () => empty, publish }).restoreFile(file.text);
    const restored = byId(await loadAllMemories(empty));
    const stored = byId(await loadAllMemories(db));
    expect(restored).toEqual(stored);
    const pick = ({ id, decision, decidedBy, decisionReasoning }: (typeof stored)[number]) =>
      JSON.stringify({ id, decision, decidedBy, decisionReasoning });
    // toEqual overlooks a field that is missing on one side; the decisions must be there.
    expect(restored.map(pick)).toEqual(stored.map(pick));
    expect(restored.filter((memory) => memory.decidedBy !== undefined)).toHaveLength(
      decided.length,
    );
  });
});
