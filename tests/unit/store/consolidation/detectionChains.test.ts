import { beforeEach, describe, expect, it } from 'vitest';

import {
  memoryHistory,
  useConsolidationStore,
} from '../../../../src/store/consolidation/consolidationStore';
import type { DetectionRunner } from '../../../../src/store/consolidation/pairDetector';
import { detectFallingBack } from '../../../../src/store/consolidation/pairDetector';
import type { DimmemDb } from '../../../../src/store/db/db';
import { until } from '../../../support/storeFixtures';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { loadAllMemories } from '../../../../src/store/memories/memoryRepository';
import {
  MODEL_LABEL,
  decisionText,
  fakeModel,
  fixtureAnswer,
  fixtureDb,
  openTab,
  reopen,
  snapshot,
} from './consolidationTestSupport';

const BERLIN = 'mem-berlin-1~mem-berlin-2';
const COFFEE = 'mem-coffee-1~mem-coffee-2';
/** The CLI's id for the merged Berlin (docs/consolidation.md). */
const MERGED_BERLIN = 'consolidated-1c067b4df05e07';
/** The pair the CLI's second pass finds: the merged Berlin against Lisbon. */
const BERLIN_TO_LISBON = `${MERGED_BERLIN}~mem-lisbon`;

const pair = (id: string) => useConsolidationStore.getState().pairs.find((open) => open.id === id);
const currentIds = () => useMemoriesStore.getState().memories.map((memory) => memory.id);

let db: DimmemDb;
let detections: number;
/** Detection in this thread, counted. */
const counted: DetectionRunner = (memories, embedder, signal) => {
  detections += 1;
  return detectFallingBack(memories, embedder, signal);
};

beforeEach(async () => {
  db = await fixtureDb();
  detections = 0;
});

describe('chains across accepts, as the CLI’s passes resolve them', () => {
  it('resolves a chain of three by accepting twice: Berlin twice merged, then replaced by Lisbon', async () => {
    const tab = openTab(db, { runDetection: counted });
    await tab.service.detect();
    expect(pair(BERLIN_TO_LISBON)).toBeUndefined();

    await tab.service.accept(BERLIN);
    // Detected again after the accept: the merged Berlin meets Lisbon.
    expect(detections).toBe(2);
    expect(pair('mem-berlin-1~mem-lisbon')).toBeUndefined();
    expect(pair(BERLIN_TO_LISBON)).toMatchObject({ status: 'waiting-for-model', rule: null });

    await tab.service.decide();
    expect(pair(BERLIN_TO_LISBON)).toMatchObject({
      kind: 'conflict',
      proposal: { decision: 'SUPERSEDE', by: MODEL_LABEL },
    });
    await tab.service.accept(BERLIN_TO_LISBON);
    expect(detections).toBe(3);

    const lisbon = useMemoriesStore
      .getState()
      .memories.find((memory) => memory.mergedFrom?.includes(MERGED_BERLIN))!;
    expect(lisbon).toMatchObject({
      content: 'The user lives in Lisbon.',
      decision: 'SUPERSEDE',
      mergedFrom: [MERGED_BERLIN, 'mem-lisbon'],
    });
    // One current memory where there were three, and every one of them in its history.
    for (const id of ['mem-berlin-1', 'mem-berlin-2', MERGED_BERLIN, 'mem-lisbon'])
      expect(currentIds()).not.toContain(id);
    expect(memoryHistory(lisbon.id).map((memory) => memory.id)).toEqual([
      'mem-berlin-1',
      'mem-berlin-2',
      MERGED_BERLIN,
      'mem-lisbon',
    ]);
    expect(useMemoriesStore.getState().earlier.get(MERGED_BERLIN)?.validUntil).toBeDefined();
    expect(
      useConsolidationStore
        .getState()
        .pairs.some((open) => [MERGED_BERLIN, 'mem-lisbon'].includes(open.olderId)),
    ).toBe(false);
    // Nothing lost: 18 memories and the two made from them.
    expect(await loadAllMemories(db)).toHaveLength(20);
    const after = snapshot();
    db = await reopen(db);
    expect(snapshot()).toEqual(after);
  });

  it('detects once after accepting all merges, and the merged memories pair on', async () => {
    const tab = openTab(db, { runDetection: counted });
    await tab.service.detect();
    await tab.service.decide();
    detections = 0;
    await tab.service.acceptAllMerges();
    expect(detections).toBe(1);
    expect(currentIds()).toContain(MERGED_BERLIN);
    expect(pair(BERLIN_TO_LISBON)).toMatchObject({ status: 'waiting-for-model' });
    expect(useConsolidationStore.getState().phase).toBe('idle');
  });

  it('does not detect again when nothing new was made: keep both, or a KEEP_BOTH proposal', async () => {
    const { model } = fakeModel(() => decisionText('KEEP_BOTH', ''));
    const tab = openTab(db, { model, runDetection: counted });
    await tab.service.detect();
    await tab.service.keepBoth(COFFEE);
    await tab.service.decide();
    const keepBoth = useConsolidationStore
      .getState()
      .pairs.find((open) => open.proposal?.decision === 'KEEP_BOTH');
    expect(keepBoth).toBeDefined();
    await tab.service.accept(keepBoth!.id);
    expect(detections).toBe(1);
    expect(pair(keepBoth!.id)).toBeUndefined();
  });

  it('leaves a running decision its progress and Stop while an accept detects again', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { model } = fakeModel(async (prompt) => {
      await gate;
      return fixtureAnswer(prompt);
    });
    const tab = openTab(db, { model, runDetection: counted });
    await tab.service.detect();
    const deciding = tab.service.decide();
    await until(() => useConsolidationStore.getState().pairs.some((p) => p.status === 'deciding'));
    await tab.service.accept(BERLIN);
    expect(detections).toBe(2);
    expect(pair(BERLIN_TO_LISBON)).toBeDefined();
    expect(useConsolidationStore.getState().phase).toBe('deciding');
    release();
    await deciding;
    expect(useConsolidationStore.getState()).toMatchObject({ phase: 'idle', error: null });
  });
});
