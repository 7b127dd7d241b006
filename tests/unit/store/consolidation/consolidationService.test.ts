import { beforeEach, describe, expect, it } from 'vitest';

import { parseNaiveIso } from '../../../../src/core/time/localTime';
import {
  memoryHistory,
  useConsolidationStore,
} from '../../../../src/store/consolidation/consolidationStore';
import { acceptanceWrite } from '../../../../src/store/consolidation/acceptance';
import { commitConsolidations } from '../../../../src/store/consolidation/versionRepository';
import type { DimmemDb } from '../../../../src/store/db/db';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { loadAllMemories, putMemories } from '../../../../src/store/memories/memoryRepository';
import {
  MODEL_LABEL,
  decisionText,
  fakeModel,
  fixtureAnswer,
  fixtureDb,
  fixtureRecords,
  openTab,
  otherTabAfter,
  reopen,
  snapshot,
} from './consolidationTestSupport';

const BERLIN = 'mem-berlin-1~mem-berlin-2';
const COFFEE = 'mem-coffee-1~mem-coffee-2';
const PUPPY = 'mem-caroline-puppy-1~mem-caroline-puppy-2';
const CARBONARA = 'mem-carbonara-1~mem-carbonara-2';
const SISTER = 'mem-sister-1~mem-sister-2';
/** The CLI's id for the same merge (docs/consolidation.md): the same input, the same memory. */
const MERGED_BERLIN = 'consolidated-1c067b4df05e07';

const pair = (id: string) => useConsolidationStore.getState().pairs.find((open) => open.id === id);
const current = () => useMemoriesStore.getState().memories.map((memory) => memory.id);
const isCurrent = (id: string) => useMemoriesStore.getState().byId.has(id);

let db: DimmemDb;
beforeEach(async () => {
  db = await fixtureDb();
});

describe('detection into the review queue', () => {
  it('lists duplicates and undecided pairs among current memories and changes no memory', async () => {
    const tab = openTab(db);
    await tab.service.detect();
    const { pairs, counts, phase, method } = useConsolidationStore.getState();
    expect(phase).toBe('idle');
    expect(method).toBe('lexical');
    expect(pairs.map((open) => open.id)).toEqual([
      BERLIN,
      PUPPY,
      COFFEE,
      CARBONARA,
      SISTER,
      'mem-berlin-1~mem-lisbon',
      'mem-berlin-2~mem-lisbon',
    ]);
    expect(pair(BERLIN)).toMatchObject({
      rule: 'exact',
      status: 'proposed',
      kind: 'duplicate',
      group: ['mem-berlin-1', 'mem-berlin-2'],
      proposal: { decision: 'MERGE', by: 'rule: exact duplicate' },
    });
    expect(pair(CARBONARA)).toMatchObject({ status: 'waiting-for-model', proposal: null });
    expect(counts).toEqual({ duplicates: 7, conflicts: 0, undecided: 4 });
    // The same words about two people are never a pair.
    expect(pairs.some((open) => open.id.includes('melanie'))).toBe(false);
    expect(current()).toHaveLength(18);
    expect(await loadAllMemories(db)).toEqual(expect.arrayContaining(fixtureRecords()));

    db = await reopen(db);
    expect(useConsolidationStore.getState().pairs.map((open) => open.id)).toHaveLength(7);
    expect(pair(BERLIN)?.proposal?.by).toBe('rule: exact duplicate');
  });

  it('merges exact and near-exact duplicates at once when the setting is on, never a pinned one', async () => {
    const tab = openTab(db);
    await tab.service.setPinned('mem-coffee-2', true);
    useConsolidationStore.setState({ autoMergeExact: true });
    await tab.service.detect();
    expect(isCurrent('mem-berlin-1')).toBe(false);
    expect(isCurrent(MERGED_BERLIN)).toBe(true);
    expect(useMemoriesStore.getState().byId.get(MERGED_BERLIN)).toMatchObject({
      decision: 'MERGE',
      decidedBy: 'rule: exact duplicate',
      mergedFrom: ['mem-berlin-1', 'mem-berlin-2'],
      edited: false,
    });
    // The pinned coffee stays as it is: its pair waits for a person (or a model's proposal).
    expect(isCurrent('mem-coffee-1')).toBe(true);
    expect(isCurrent('mem-coffee-2')).toBe(true);
    expect(pair(COFFEE)).toMatchObject({ rule: null, status: 'waiting-for-model' });
    expect(pair(BERLIN)).toBeUndefined();
    expect(pair(PUPPY)).toBeUndefined();
    // 18 - 4 merged away + 2 new; the next pass pairs the merged Berlin with Lisbon.
    expect(current()).toHaveLength(16);
    expect(pair(`${MERGED_BERLIN}~mem-lisbon`)).toBeUndefined();
    await tab.service.detect();
    expect(pair(`${MERGED_BERLIN}~mem-lisbon`)).toMatchObject({ status: 'waiting-for-model' });
    expect(current()).toHaveLength(16);
  });
});

describe('accepting, keeping apart and undoing', () => {
  it('merges a rule pair into a new memory and keeps the originals as its history', async () => {
    const tab = openTab(db);
    await tab.service.detect();
    await tab.service.accept(BERLIN);
    expect(isCurrent(MERGED_BERLIN)).toBe(true);
    expect(isCurrent('mem-berlin-1')).toBe(false);
    const history = memoryHistory(MERGED_BERLIN);
    expect(history.map((memory) => [memory.id, memory.supersededBy])).toEqual([
      ['mem-berlin-1', MERGED_BERLIN],
      ['mem-berlin-2', MERGED_BERLIN],
    ]);
    // Pairs of the originals left the queue; nothing was deleted.
    expect(pair('mem-berlin-1~mem-lisbon')).toBeUndefined();
    expect(await loadAllMemories(db)).toHaveLength(19);
    const after = snapshot();
    db = await reopen(db);
    expect(snapshot()).toEqual(after);
    expect(memoryHistory(MERGED_BERLIN)).toHaveLength(2);
  });

  it('lets a model propose, supersedes an old fact with a valid-until, and undoes it', async () => {
    const { model, options } = fakeModel(fixtureAnswer);
    const tab = openTab(db, { model });
    useConsolidationStore.setState({ autoMergeExact: true });
    await tab.service.detect();
    await tab.service.detect();
    await tab.service.decide();
    expect(options[0]?.jsonSchema?.name).toBe('dimmem_consolidation_decision');
    const conflict = `${MERGED_BERLIN}~mem-lisbon`;
    expect(pair(conflict)).toMatchObject({
      kind: 'conflict',
      status: 'proposed',
      proposal: { decision: 'SUPERSEDE', by: MODEL_LABEL },
    });
    expect(useConsolidationStore.getState().counts.conflicts).toBe(1);
    expect(useConsolidationStore.getState().modelLabel).toBe(MODEL_LABEL);

    await tab.service.accept(conflict);
    const lisbon = useMemoriesStore
      .getState()
      .memories.find((memory) => memory.mergedFrom?.includes('mem-lisbon'))!;
    expect(lisbon).toMatchObject({ content: 'The user lives in Lisbon.', decision: 'SUPERSEDE' });
    // Berlin held until the Lisbon memory's time (2023-05-10; its message came on the 14th).
    const berlin = useMemoriesStore.getState().earlier.get(MERGED_BERLIN)!;
    expect(berlin.validUntil).toBe(parseNaiveIso('2023-05-10T00:00:00'));
    expect(memoryHistory(lisbon.id).map((memory) => memory.id)).toEqual([
      'mem-berlin-1',
      'mem-berlin-2',
      MERGED_BERLIN,
      'mem-lisbon',
    ]);

    await tab.service.undo(lisbon.id);
    expect(isCurrent(MERGED_BERLIN)).toBe(true);
    expect(isCurrent('mem-lisbon')).toBe(true);
    expect(isCurrent(lisbon.id)).toBe(false);
    expect(useMemoriesStore.getState().byId.get(MERGED_BERLIN)?.validUntil).toBeUndefined();
    // Undone means kept apart: detection (with automatic merges on) does not bring it back.
    await tab.service.detect();
    expect(pair(conflict)).toBeUndefined();
    expect(isCurrent(MERGED_BERLIN)).toBe(true);
    await tab.service.undo(MERGED_BERLIN);
    await tab.service.detect();
    expect(isCurrent('mem-berlin-1')).toBe(true);
    expect(isCurrent(MERGED_BERLIN)).toBe(false);
    expect(await loadAllMemories(db)).toHaveLength(fixtureRecords().length + 2);
  });

  it('merges a whole duplicate group, but not a member pinned since it was found', async () => {
    const third = {
      ...fixtureRecords()[0]!,
      id: 'mem-berlin-3',
      messageTimestamp: Date.UTC(2023, 7, 1),
    };
    await putMemories(db, [third]);
    useMemoriesStore.getState().upsertMany([third]);
    const tab = openTab(db);
    await tab.service.detect();
    expect(pair('mem-berlin-1~mem-berlin-3')?.group).toEqual([
      'mem-berlin-1',
      'mem-berlin-2',
      'mem-berlin-3',
    ]);
    await tab.service.setPinned('mem-berlin-2', true);
    await tab.service.accept('mem-berlin-1~mem-berlin-3');
    const merged = useMemoriesStore
      .getState()
      .memories.find((memory) => memory.mergedFrom !== undefined)!;
    expect(merged.mergedFrom).toEqual(['mem-berlin-1', 'mem-berlin-3']);
    expect(isCurrent('mem-berlin-2')).toBe(true);
  });

  it('keeps both apart for good, and a person can write the merged text', async () => {
    const tab = openTab(db);
    await tab.service.detect();
    await tab.service.keepBoth(COFFEE);
    expect(pair(COFFEE)).toBeUndefined();
    await tab.service.detect();
    expect(pair(COFFEE)).toBeUndefined();

    await expect(tab.service.accept(CARBONARA)).rejects.toThrow(/no proposal yet/);
    expect(useConsolidationStore.getState().error).toMatch(/no proposal yet/);
    await tab.service.accept(CARBONARA, { content: '  Loved the carbonara at Bella Vita.  ' });
    const merged = useMemoriesStore
      .getState()
      .memories.find((memory) => memory.mergedFrom?.includes('mem-carbonara-1'))!;
    expect(merged).toMatchObject({
      content: 'Loved the carbonara at Bella Vita.',
      edited: true,
      decidedBy: 'you',
      memoryType: 'episodic',
    });
    await expect(tab.service.accept(CARBONARA)).rejects.toThrow(/not in the queue/);
  });

  it('accepts all merges but never changes an edited or pinned memory', async () => {
    const tab = openTab(db);
    await tab.service.setPinned('mem-coffee-1', true);
    await tab.service.detect();
    await tab.service.decide();
    expect(pair(SISTER)?.proposal?.decision).toBe('MERGE');
    await tab.service.acceptAllMerges();
    // mem-sister-1 is edited, mem-coffee-1 pinned: their pairs stay for a person to decide.
    expect(pair(SISTER)).toBeDefined();
    expect(pair(COFFEE)).toBeDefined();
    expect(isCurrent('mem-sister-1') && isCurrent('mem-coffee-1')).toBe(true);
    expect(pair(BERLIN) ?? pair(PUPPY) ?? pair(CARBONARA)).toBeUndefined();
    expect(isCurrent('mem-carbonara-2')).toBe(false);
    expect(current()).toHaveLength(18 - 6 + 3);
    // Unpinned, a person may still merge it (the model proposed keeping both: the text is theirs).
    await tab.service.setPinned('mem-coffee-1', false);
    expect(useMemoriesStore.getState().byId.get('mem-coffee-1')?.pinned).toBeUndefined();
    expect(pair(COFFEE)?.proposal?.decision).toBe('KEEP_BOTH');
    await tab.service.accept(COFFEE, { content: "The user's favourite coffee is a flat white." });
    expect(isCurrent('mem-coffee-1')).toBe(false);
  });
});

describe('a model answer that is not a decision', () => {
  it('leaves its pair failed with the reason, loses nothing, and is asked again', async () => {
    const { model } = fakeModel((prompt) =>
      prompt.includes('Carbonara') ? 'Sure! These two are the same dinner.' : fixtureAnswer(prompt),
    );
    const tab = openTab(db, { model });
    await tab.service.detect();
    await tab.service.decide();
    expect(pair(CARBONARA)).toMatchObject({ status: 'failed', proposal: null });
    expect(pair(CARBONARA)?.error).toMatch(/not a decision/);
    expect(pair(SISTER)?.status).toBe('proposed');
    expect(current()).toHaveLength(18);
    expect(await loadAllMemories(db)).toHaveLength(18);

    const retry = openTab(db, {
      model: fakeModel((prompt) =>
        decisionText('MERGE', 'Carbonara at Bella Vita.', 'episodic', prompt ? [] : []),
      ).model,
    });
    await retry.service.decide();
    expect(pair(CARBONARA)).toMatchObject({ status: 'proposed', proposal: { decision: 'MERGE' } });
    expect(pair(CARBONARA)?.error).toBeUndefined();
  });

  it('says why no model decides, and leaves the pairs waiting', async () => {
    const tab = openTab(db, { model: null });
    await tab.service.detect();
    expect(useConsolidationStore.getState().unavailable).toBe('No model to answer with.');
    await tab.service.decide();
    expect(useConsolidationStore.getState()).toMatchObject({
      modelLabel: null,
      unavailable: 'No model to answer with.',
    });
    expect(pair(CARBONARA)?.status).toBe('waiting-for-model');
  });
});

describe("a model on this browser's GPU", () => {
  it('waits while a run holds the GPU, then decides; stop ends the wait', async () => {
    let busy: string | null = 'a run is extracting memories on the GPU';
    const listeners = new Set<() => void>();
    const gpu = {
      busy: () => busy,
      subscribe: (listener: () => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const { model, prompts } = fakeModel(fixtureAnswer);
    const tab = openTab(db, { model: { ...model, needsGpu: true }, gpu });
    await tab.service.detect();

    const stopped = tab.service.decide();
    expect(useConsolidationStore.getState().phase).toBe('waiting-for-gpu');
    tab.service.stop();
    await stopped;
    expect(useConsolidationStore.getState().phase).toBe('idle');
    expect(prompts).toEqual([]);

    const deciding = tab.service.decide();
    expect(useConsolidationStore.getState().phase).toBe('waiting-for-gpu');
    busy = null;
    for (const listener of listeners) listener();
    await deciding;
    expect(prompts).toHaveLength(4);
    expect(useConsolidationStore.getState().counts.undecided).toBe(0);
  });
});

describe('interrupted and resumed', () => {
  it('keeps the decisions written before a reload and doubles nothing when it goes on', async () => {
    const controller = new AbortController();
    const { model } = fakeModel((prompt, call) => {
      // The tab closes while the model writes its second decision.
      if (call === 2) {
        controller.abort();
        throw new DOMException('The operation was aborted.', 'AbortError');
      }
      return fixtureAnswer(prompt);
    });
    const tab = openTab(db, { model });
    await tab.service.detect();
    await tab.service.accept(BERLIN);
    await tab.service.decide(controller.signal);
    const decided = useConsolidationStore
      .getState()
      .pairs.filter((open) => open.status === 'proposed' && open.rule === null);
    expect(decided).toHaveLength(1);

    db = await reopen(db);
    expect(
      useConsolidationStore.getState().pairs.filter((open) => open.status === 'deciding'),
    ).toEqual([]);
    const resumed = openTab(db);
    await resumed.service.detect();
    await resumed.service.decide();
    await resumed.service.acceptAllMerges();
    // Accepting a merge again (a second tab's stale queue) changes nothing.
    await expect(resumed.service.accept(BERLIN)).rejects.toThrow();
    await resumed.service.detect();
    const stored = await loadAllMemories(db);
    expect(new Set(stored.map((memory) => memory.id)).size).toBe(stored.length);
    expect(stored.filter((memory) => memory.id === MERGED_BERLIN)).toHaveLength(1);
    // Every original is still stored: current, or an earlier version of a stored memory.
    const ids = new Set(stored.map((memory) => memory.id));
    for (const memory of fixtureRecords()) expect(ids.has(memory.id)).toBe(true);
    for (const memory of stored)
      if (memory.supersededBy) expect(ids.has(memory.supersededBy)).toBe(true);
  });
});

describe('a tab closed between a commit and its publish', () => {
  it('shows the committed merge after the reload, and accepting all goes on without doubles', async () => {
    const tab = openTab(db);
    await tab.service.detect();
    await tab.service.decide();
    // The merge of Berlin reaches IndexedDB; the tab closes before it publishes anything.
    const record = await db.get('consolidationPairs', BERLIN);
    const stored = new Map(
      (await loadAllMemories(db)).map((memory) => [memory.id, memory] as const),
    );
    const write = acceptanceWrite(record!, stored, 1);
    if (write === 'keep-both') throw new Error('a rule pair merges');
    await commitConsolidations(db, [write]);

    db = await reopen(db);
    expect(isCurrent(MERGED_BERLIN)).toBe(true);
    expect(pair(BERLIN)).toBeUndefined();
    const resumed = openTab(db);
    await resumed.service.acceptAllMerges();
    // Committing the same merge again (a retry) writes nothing new.
    await commitConsolidations(db, [write]);
    const all = await loadAllMemories(db);
    expect(all.filter((memory) => memory.id === MERGED_BERLIN)).toHaveLength(1);
    // Berlin ×1, the puppy, the coffee and the carbonara merged: 18 + 4 new memories, 8 earlier.
    expect(all).toHaveLength(22);
    expect(current()).toHaveLength(14);
    expect(useMemoriesStore.getState().earlier.size).toBe(8);
  });
});

describe('two tabs', () => {
  it('leaves a tab fed only by the posts with the same stores', async () => {
    const initial = { records: fixtureRecords() };
    const tab = openTab(db);
    await tab.service.detect();
    await tab.service.decide();
    await tab.service.accept(BERLIN);
    await tab.service.acceptAllMerges();
    await tab.service.keepBoth(SISTER);
    await tab.service.setPinned('mem-nurse', true);
    const merged = useMemoriesStore
      .getState()
      .memories.find((memory) => memory.mergedFrom?.includes('mem-carbonara-1'))!;
    await tab.service.undo(merged.id);
    const here = snapshot();
    expect(here.earlier.length).toBeGreaterThan(0);
    expect(await otherTabAfter(db, initial, tab.sent)).toEqual(here);
  });
});
