import { beforeEach, describe, expect, it } from 'vitest';

import { memoryHistory } from '../../../../src/store/consolidation/consolidationStore';
import type { DimmemDb } from '../../../../src/store/db/db';
import { loadAllStores } from '../../../../src/store/db/storeLoader';
import { exportMemories } from '../../../../src/store/exchange/memoryExport';
import { createRestoreService } from '../../../../src/store/exchange/memoryRestore';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { createPublisher } from '../../../../src/store/tabs/publish';
import { freshDb, resetStores } from '../../../support/storeFixtures';
import { fixtureDb, openTab, snapshot } from './consolidationTestSupport';

const MERGED_BERLIN = 'consolidated-1c067b4df05e07';

let db: DimmemDb;
beforeEach(async () => {
  db = await fixtureDb();
  const tab = openTab(db);
  await tab.service.detect();
  await tab.service.accept('mem-berlin-1~mem-berlin-2');
  await tab.service.keepBoth('mem-sister-1~mem-sister-2');
});

/** Restores `text` into an empty database and loads the stores from it. */
async function restoreIntoEmpty(text: string): Promise<DimmemDb> {
  resetStores();
  const empty = await freshDb();
  const publisher = createPublisher({ db: async () => empty, channel: null });
  await createRestoreService({ db: async () => empty, publish: publisher.publish }).restoreFile(
    text,
  );
  await loadAllStores(empty);
  return empty;
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('exports of consolidated memories', () => {
  it('list current memories only, unless the history is asked for', async () => {
    const current = lines((await exportMemories('jsonl', { kind: 'all' }, { db })).text);
    expect(current).toHaveLength(17);
    expect(current.some((line) => line.supersededBy !== undefined)).toBe(false);
    const merged = current.find((line) => line.id === MERGED_BERLIN)!;
    expect(merged).toMatchObject({ version: 2, mergedFrom: ['mem-berlin-1', 'mem-berlin-2'] });
    expect(current.find((line) => line.id === 'mem-lisbon')?.version).toBe(1);
    const csv = (await exportMemories('csv', { kind: 'all' }, { db, includeHistory: true })).text;
    expect(csv.trimEnd().split('\n')).toHaveLength(1 + 17);

    const withHistory = lines(
      (
        await exportMemories(
          'jsonl',
          { kind: 'ids', ids: [MERGED_BERLIN] },
          { db, includeHistory: true },
        )
      ).text,
    );
    expect(withHistory.map((line) => [line.id, line.version, line.supersededBy])).toEqual([
      [MERGED_BERLIN, 2, undefined],
      ['mem-berlin-1', 2, MERGED_BERLIN],
      ['mem-berlin-2', 2, MERGED_BERLIN],
    ]);
  });

  it('restore a JSONL file with history as current memories and earlier versions', async () => {
    const file = await exportMemories('jsonl', { kind: 'all' }, { db, includeHistory: true });
    expect(lines(file.text)).toHaveLength(19);
    const before = snapshot().current.length;
    await restoreIntoEmpty(file.text);
    expect(useMemoriesStore.getState().memories).toHaveLength(before);
    expect(memoryHistory(MERGED_BERLIN).map((memory) => memory.id)).toEqual([
      'mem-berlin-1',
      'mem-berlin-2',
    ]);
  });

  it('keep everything in a full backup, the review queue included, and restore it exactly', async () => {
    const backup = await exportMemories('json', { kind: 'all' }, { db });
    const parsed = JSON.parse(backup.text) as {
      memories: unknown[];
      consolidationPairs: unknown[];
    };
    expect(parsed.memories).toHaveLength(19);
    expect(parsed.consolidationPairs.length).toBeGreaterThan(0);
    const before = snapshot();
    await restoreIntoEmpty(backup.text);
    expect(snapshot()).toEqual(before);
    expect(useMemoriesStore.getState().byId.get(MERGED_BERLIN)?.decidedBy).toBe(
      'rule: exact duplicate',
    );
  });
});
