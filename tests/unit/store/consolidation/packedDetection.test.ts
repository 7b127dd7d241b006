import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { readMemoryLinesFile } from '../../../../src/cli/consolidate/memoryLinesFile';
import { detectPairs } from '../../../../src/core/consolidate';
import {
  packDetection,
  unpackDetection,
} from '../../../../src/store/consolidation/packedDetection';
import { FakeEmbedder } from '../../../support/searchFakeEmbedder';
import { fixtureData } from '../../../support/storeFixtures';

const fixtureFile = path.join(fixtureData, 'consolidate/memories.jsonl');

describe('a detection packed for the trip from the worker', () => {
  it.each([
    ['by meaning', true],
    ['by words', false],
  ])('comes back as it was, %s, through a transferring clone', async (_, withEmbedder) => {
    const { current: memories } = await readMemoryLinesFile(fixtureFile);
    const detection = await detectPairs(
      memories,
      withEmbedder ? { embedder: new FakeEmbedder() } : {},
    );
    // Rule pairs of both kinds and pairs a model must decide: every code is packed.
    expect(new Set(detection.pairs.map((pair) => pair.rule))).toEqual(
      new Set([null, 'exact', 'near-exact']),
    );
    const { packed, transfer } = packDetection(detection, memories);
    const arrived = structuredClone(packed, { transfer });
    // The worker's arrays went with the message; none was copied.
    expect(packed.older.length).toBe(0);
    expect(unpackDetection(arrived, memories)).toEqual(detection);
  });

  it('refuses a pair naming a memory that was not sent', async () => {
    const { current: memories } = await readMemoryLinesFile(fixtureFile);
    const detection = await detectPairs(memories);
    const ghost = { ...detection.pairs[0]!, newer: 'mem-not-sent' };
    expect(() => packDetection({ ...detection, pairs: [ghost] }, memories)).toThrow(
      'a pair names mem-not-sent, which is not a memory',
    );
  });
});
