import { beforeEach, describe, expect, it } from 'vitest';

import { writeMemoriesViaRepository } from '../../../../bench/browser/benchmarkHooks';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { loadAllMemories } from '../../../../src/store/memories/memoryRepository';
import { memoryRecordSchema } from '../../../../src/store/db/records';
import { loadAllStores } from '../../../../src/store/db/storeLoader';
import { freshDb, generatedRecords, resetStores } from '../../../support/storeFixtures';

const generate = generatedRecords;

beforeEach(resetStores);

describe('memory records for the benchmark', () => {
  it('are valid stored memories, deterministic, with unique ids', () => {
    const records = generate(2000);
    expect(records.every((record) => memoryRecordSchema.safeParse(record).success)).toBe(true);
    expect(new Set(records.map((record) => record.id)).size).toBe(2000);
    expect(generate(2000)).toEqual(records);
    expect(new Set(records.map((record) => record.memoryType))).toEqual(
      new Set(['fact', 'episodic', 'profile']),
    );
  });

  it('are written through the repository and load back into the store in one update', async () => {
    const db = await freshDb();
    const records = generate(5000);
    await writeMemoriesViaRepository(db, records, 1000);
    expect(await loadAllMemories(db)).toHaveLength(5000);

    let updates = 0;
    const unsubscribe = useMemoriesStore.subscribe(() => (updates += 1));
    await loadAllStores(db);
    unsubscribe();
    // All memories arrive in one update, never one per record.
    expect(updates).toBe(1);
    expect(useMemoriesStore.getState().memories).toHaveLength(5000);
    expect(useMemoriesStore.getState().byId.get(records[4321]!.id)).toEqual(records[4321]);
  });
});

describe('memories store with 100,000 memories', () => {
  it('holds them all and applies a window commit as one update that replaces, not duplicates', () => {
    const records = generate(100_000);
    useMemoriesStore.getState().setAll(records);
    const target = records[50_000]!;
    const { runId, windowIndex } = target;
    const windowRecords = records.filter((r) => r.runId === runId && r.windowIndex === windowIndex);
    expect(windowRecords.length).toBeGreaterThan(2);

    useMemoriesStore.getState().setProvisional(runId, windowIndex, windowRecords.slice(0, 2));
    expect(useMemoriesStore.getState().provisional).toHaveLength(2);

    let updates = 0;
    const unsubscribe = useMemoriesStore.subscribe(() => (updates += 1));
    // A retried window yields fewer memories: the leftovers of the first attempt disappear.
    const recommitted = windowRecords.slice(0, 2).map((r) => ({ ...r, content: `${r.content}!` }));
    useMemoriesStore.getState().commitWindow(runId, windowIndex, recommitted);
    unsubscribe();

    const state = useMemoriesStore.getState();
    expect(updates).toBe(1);
    expect(state.provisional).toEqual([]);
    expect(state.memories).toHaveLength(100_000 - windowRecords.length + 2);
    expect(state.byId.size).toBe(state.memories.length);
    expect(state.byId.get(target.id)?.content).toBe(`${target.content}!`);
    expect(state.byId.has(windowRecords[2]!.id)).toBe(false);
    // Rows keep their place when replaced.
    expect(state.memories.findIndex((m) => m.id === windowRecords[0]!.id)).toBe(
      records.findIndex((m) => m.id === windowRecords[0]!.id),
    );
  });

  it('removes a selection in one update', () => {
    const records = generate(100_000);
    useMemoriesStore.getState().setAll(records);
    const ids = records.filter((_, i) => i % 10 === 0).map((r) => r.id);
    useMemoriesStore.getState().removeMany(ids);
    const state = useMemoriesStore.getState();
    expect(state.memories).toHaveLength(90_000);
    expect(state.byId.size).toBe(90_000);
    expect(state.byId.has(ids[7]!)).toBe(false);
  });
});
