import { describe, expect, it } from 'vitest';

import type { ConsolidationMemory } from '../../../../src/core/consolidate';
import {
  CANDIDATES_PER_MEMORY,
  detectPairs,
  keywordCandidates,
  memoryOwner,
  ruleGroups,
} from '../../../../src/core/consolidate';
import { FakeEmbedder } from '../../../support/searchFakeEmbedder';
import { fixtureMemories } from './fixtureMemories';

const pairIds = (pairs: { older: string; newer: string }[]) =>
  pairs.map((pair) => `${pair.older} → ${pair.newer}`);

describe('whose memory it is', () => {
  it('keeps one person’s chats together and each LoCoMo or transcript speaker apart', () => {
    expect(memoryOwner('chatgpt:abc')).toBe(memoryOwner('claude:def'));
    expect(memoryOwner('sharegpt:x')).toBe(memoryOwner('dimmem:1bd31aeebd15c3'));
    expect(memoryOwner('locomo:conv-26:Caroline')).not.toBe(memoryOwner('locomo:conv-26:Melanie'));
    expect(memoryOwner('locomo:conv-26:Caroline')).not.toBe(memoryOwner('locomo:conv-30:Caroline'));
    expect(memoryOwner('transcript:ab12:Ann')).not.toBe(memoryOwner('transcript:ab12:Bob'));
    expect(memoryOwner('longmemeval:q1')).not.toBe(memoryOwner('longmemeval:q2'));
    expect(memoryOwner('locomo:conv-26:Caroline#2')).toBe(memoryOwner('locomo:conv-26:Caroline'));
  });
});

describe('detecting candidate pairs in the fixture', () => {
  it('finds the duplicates and the conflict, older first, best first (lexical similarity)', async () => {
    const detection = await detectPairs(fixtureMemories());
    expect(detection.method).toBe('lexical');
    expect(detection.threshold).toBe(0.5);
    expect(pairIds(detection.pairs)).toEqual([
      'mem-berlin-1 → mem-berlin-2',
      'mem-caroline-puppy-1 → mem-caroline-puppy-2',
      'mem-coffee-1 → mem-coffee-2',
      'mem-carbonara-1 → mem-carbonara-2',
      'mem-sister-1 → mem-sister-2',
      'mem-berlin-1 → mem-lisbon',
      'mem-berlin-2 → mem-lisbon',
    ]);
    expect(detection.pairs.map((pair) => pair.rule)).toEqual([
      'exact',
      'exact',
      'near-exact',
      null,
      null,
      null,
      null,
    ]);
    expect(detection.pairs[5]).toMatchObject({ jaccard: 1 / 3, similarity: 0.6667 });
    // "home" is shared by the home office and Lisbon, but the texts are not alike.
    expect(detection.stats.belowSimilarity).toBe(3);
    expect(detection.stats).toMatchObject({ memories: 18, episodesApart: 1, embedded: 0 });
  });

  it('keeps lookalikes apart: another day’s episode, the same fact about another person, another type', async () => {
    const { pairs } = await detectPairs(fixtureMemories());
    const involved = new Set(pairs.flatMap((pair) => [pair.older, pair.newer]));
    // The same hike with the same words and keywords, two months apart: two episodes.
    expect(involved.has('mem-hike-1')).toBe(false);
    expect(involved.has('mem-hike-2')).toBe(false);
    // Melanie adopted a puppy named Max too: the same words, another person.
    expect(involved.has('mem-melanie-puppy')).toBe(false);
    // "The user loves living in Berlin" is a profile, not the fact "lives in Berlin".
    expect(involved.has('mem-berlin-love')).toBe(false);
    expect(involved.has('mem-home-office')).toBe(false);
  });

  it('with an embedder: cosine over the content only, embedding only memories in candidates', async () => {
    const embedder = new FakeEmbedder();
    const detection = await detectPairs(fixtureMemories(), { embedder });
    expect(detection.method).toBe('embedding');
    expect(detection.threshold).toBe(0.7);
    expect(detection.pairs.every((pair) => pair.method === 'embedding')).toBe(true);
    expect(detection.pairs.find((pair) => pair.newer === 'mem-lisbon')!.similarity).toBe(0.8);
    expect(embedder.embedded).toContain('The user lives in Lisbon.');
    expect(embedder.embedded).not.toContain('The user works as a nurse.');
    expect(detection.stats.embedded).toBe(embedder.embedded.length);
    expect(new Set(embedder.embedded).size).toBe(embedder.embedded.length);
  });

  it('caps each memory at ten partners, best first, ties by id', () => {
    const base = fixtureMemories()[0]!;
    const memories: ConsolidationMemory[] = Array.from({ length: 30 }, (_, i) => ({
      ...base,
      id: `m${String(i).padStart(2, '0')}`,
      messageTimestamp: base.messageTimestamp + i * 1000,
      content: `The user visited place ${i}.`,
      // m00 shares "berlin" with everyone; m01…m04 share two keywords with it.
      keywords: i === 0 ? ['berlin', 'trip'] : i <= 4 ? ['Berlin', 'trip'] : ['berlin', `p${i}`],
    }));
    const { candidates, stats } = keywordCandidates(memories);
    const partnersOf0 = candidates
      .filter((c) => c.older === 0 || c.newer === 0)
      .map((c) => memories[c.older === 0 ? c.newer : c.older]!.id);
    // m00 keeps its best ten (m01–m04 at 1.0, then m05… by id); others may still keep m00.
    expect(partnersOf0.slice(0, CANDIDATES_PER_MEMORY)).toEqual([
      'm01',
      'm02',
      'm03',
      'm04',
      'm05',
      'm06',
      'm07',
      'm08',
      'm09',
      'm10',
    ]);
    expect(stats.candidates).toBeLessThanOrEqual(memories.length * CANDIDATES_PER_MEMORY);
    expect(stats.referencePairs).toBe((30 * 29) / 2);
  });
});

describe('rule groups', () => {
  it('merges exact and near-exact duplicates of one person and type, never locked ones', () => {
    const memories = fixtureMemories();
    expect(ruleGroups(memories)).toEqual([
      { kind: 'exact', members: ['mem-berlin-1', 'mem-berlin-2'] },
      { kind: 'exact', members: ['mem-caroline-puppy-1', 'mem-caroline-puppy-2'] },
      { kind: 'near-exact', members: ['mem-coffee-1', 'mem-coffee-2'] },
    ]);
    const copy = { ...memories[0]!, id: 'mem-berlin-3', messageTimestamp: 0 };
    const locked = { ...memories[0]!, id: 'mem-berlin-4', locked: true };
    const groups = ruleGroups([...memories, copy, locked]);
    expect(groups[0]).toEqual({
      kind: 'exact',
      members: ['mem-berlin-3', 'mem-berlin-1', 'mem-berlin-2'],
    });
  });

  it('needs the same keywords for a near-exact pair, and tells punctuation from words', () => {
    const [coffee] = fixtureMemories().filter((m) => m.id === 'mem-coffee-1');
    const variant = (id: string, content: string, keywords = coffee!.keywords) => ({
      ...coffee!,
      id,
      content,
      keywords,
    });
    const groups = ruleGroups([
      coffee!,
      variant('shout', 'THE USER’S FAVOURITE COFFEE IS A FLAT-WHITE!!'),
      variant('other-keywords', "the user's favourite coffee is a flat white", ['coffee']),
      variant('other-word', "The user's favourite coffee is a flat black."),
    ]);
    expect(groups).toEqual([{ kind: 'near-exact', members: ['mem-coffee-1', 'shout'] }]);
  });
});
