import { describe, expect, it } from 'vitest';

import type { ConsolidationDecision } from '../../../../src/core/consolidate';
import { ConsolidationPass, detectPairs } from '../../../../src/core/consolidate';
import { localTimeFromParts } from '../../../../src/core/time/localTime';
import { fixtureMemories } from './fixtureMemories';

const decision = (
  kind: ConsolidationDecision['decision'],
  content = '',
  dimension: Partial<ConsolidationDecision['merged_dimension']> = {},
): ConsolidationDecision => ({
  decision: kind,
  merged_content: content,
  merged_dimension: {
    memory_type: 'episodic',
    time: '',
    keywords: [],
    reason: '',
    purpose: '',
    ...dimension,
  },
  reasoning: `${kind} because the test says so`,
});

async function fixturePass() {
  const memories = fixtureMemories();
  const pass = new ConsolidationPass(memories, await detectPairs(memories));
  return { memories, pass };
}

describe('a consolidation pass', () => {
  it('merges rule groups without a model into a new memory; the originals become earlier versions', async () => {
    const { pass } = await fixturePass();
    const berlin = pass.created.find((m) => m.mergedFrom.includes('mem-berlin-1'))!;
    expect(berlin).toMatchObject({
      mergedFrom: ['mem-berlin-1', 'mem-berlin-2'],
      content: 'The user lives in Berlin.',
      conversationId: 'claude:c2',
      messageText: 'Winters here in Berlin are long.',
      keywords: ['berlin', 'Home'],
    });
    expect(berlin.id).toMatch(/^consolidated-[0-9a-f]{14}$/);
    expect(pass.earlierVersions.get('mem-berlin-1')).toEqual({ supersededBy: berlin.id });
    expect(pass.earlierVersions.get('mem-berlin-2')).toEqual({ supersededBy: berlin.id });
    const coffee = pass.created.find((m) => m.mergedFrom.includes('mem-coffee-1'))!;
    expect(coffee.content).toBe("the user's favourite coffee is a Flat White");
    expect(pass.outcomes()[2]!.decision).toMatchObject({
      decision: 'MERGE',
      by: 'rule: near-exact duplicate',
      result: coffee.id,
    });
    expect(pass.created).toHaveLength(3);
  });

  it('offers only open pairs to the model: none touching a memory merged in this pass, none locked', async () => {
    const { pass } = await fixturePass();
    const offered = [...pass.pairsToDecide()].map(({ pair }) => `${pair.older} → ${pair.newer}`);
    // Berlin → Lisbon waits for the next pass (both Berlin memories were merged by rule); the
    // sister's memory was edited, so it is never changed automatically.
    expect(offered).toEqual(['mem-carbonara-1 → mem-carbonara-2']);
    const outcomes = pass.outcomes();
    expect(outcomes.filter((o) => o.decision === null).map((o) => o.pair.newer)).toEqual([
      'mem-carbonara-2',
      'mem-sister-2',
      'mem-lisbon',
      'mem-lisbon',
    ]);
  });

  it('MERGE: the model’s text and dimensions on the newer memory’s message and location', async () => {
    const { pass, memories } = await fixturePass();
    const { pair } = [...pass.pairsToDecide()][0]!;
    const applied = pass.decide(
      pair,
      decision('MERGE', 'The user tried and loved the Spaghetti Carbonara at Bella Vita.', {
        keywords: ['Spaghetti Carbonara', 'Bella Vita', 'spaghetti carbonara'],
        time: '2023-04-27',
      }),
      'Qwen/Qwen3-4B',
    );
    const merged = pass.created.at(-1)!;
    const newer = memories.find((m) => m.id === 'mem-carbonara-2')!;
    expect(applied).toMatchObject({ decision: 'MERGE', by: 'Qwen/Qwen3-4B', result: merged.id });
    expect(merged).toMatchObject({
      content: 'The user tried and loved the Spaghetti Carbonara at Bella Vita.',
      mergedFrom: ['mem-carbonara-1', 'mem-carbonara-2'],
      location: 'Bella Vita restaurant',
      messageId: newer.messageId,
      keywords: ['Spaghetti Carbonara', 'Bella Vita'],
      timeStart: localTimeFromParts(2023, 4, 27),
    });
    expect(pass.earlierVersions.get('mem-carbonara-1')).toEqual({ supersededBy: merged.id });
    expect([...pass.pairsToDecide()]).toEqual([]);
  });

  it('SUPERSEDE: the newer fact wins; the older one is valid until the newer one’s time', async () => {
    const memories = fixtureMemories().filter((m) => ['mem-berlin-1', 'mem-lisbon'].includes(m.id));
    const pass = new ConsolidationPass(memories, await detectPairs(memories));
    const { pair } = [...pass.pairsToDecide()][0]!;
    pass.decide(pair, decision('SUPERSEDE', '', { memory_type: 'fact' }), 'Qwen/Qwen3-4B');
    const current = pass.created[0]!;
    expect(current).toMatchObject({ content: 'The user lives in Lisbon.', location: 'Lisbon' });
    expect(pass.earlierVersions.get('mem-berlin-1')).toEqual({
      supersededBy: current.id,
      validUntil: localTimeFromParts(2023, 5, 10),
    });
    expect(pass.earlierVersions.get('mem-lisbon')).toEqual({ supersededBy: current.id });
  });

  it('SUPERSEDE of a memory without a time: valid until the newer memory’s message time', async () => {
    const memories = fixtureMemories()
      .filter((m) => ['mem-berlin-1', 'mem-lisbon'].includes(m.id))
      .map((m) => ({ ...m, time: '', timeStart: null, timeEnd: null }));
    const pass = new ConsolidationPass(memories, await detectPairs(memories));
    const { pair } = [...pass.pairsToDecide()][0]!;
    pass.decide(pair, decision('SUPERSEDE', '', { memory_type: 'fact' }), 'm');
    expect(pass.earlierVersions.get('mem-berlin-1')!.validUntil).toBe(
      localTimeFromParts(2023, 5, 14, 10, 0, 0),
    );
  });

  it('KEEP_BOTH changes nothing; the same inputs always give the same ids', async () => {
    const first = await fixturePass();
    const { pair } = [...first.pass.pairsToDecide()][0]!;
    expect(first.pass.decide(pair, decision('KEEP_BOTH'), 'm').result).toBeNull();
    expect(first.pass.created).toHaveLength(3);
    expect(first.pass.earlierVersions.has('mem-carbonara-1')).toBe(false);
    expect(() => first.pass.decide(pair, decision('MERGE'), 'm')).toThrow(/not open/);
    const second = await fixturePass();
    expect(second.pass.created.map((m) => m.id)).toEqual(first.pass.created.map((m) => m.id));
  });
});
