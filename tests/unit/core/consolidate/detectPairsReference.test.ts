import { describe, expect, it } from 'vitest';

import type { ConsolidationMemory, Detection } from '../../../../src/core/consolidate';
import { detectPairs, keywordSet, memoryOwner } from '../../../../src/core/consolidate';
import { syntheticMemories } from '../../../../src/core/filter';
import type { Embedder } from '../../../../src/core/search';
import { seededRandom } from '../../../../src/core/seededRandom';
import { locomoVocabulary, seedAnswer } from '../../../support/filterTestData';
import { referenceDetection } from '../../../support/referenceDetection';
import { FakeEmbedder, fakeVector } from '../../../support/searchFakeEmbedder';

const DAY = 86_400_000;
const templates = seedAnswer();
const vocabulary = locomoVocabulary();

const owners = [
  'locomo:s1:Ann',
  'locomo:s1:Ann#2',
  'locomo:s1:Bob',
  'locomo:s2:Ann',
  'transcript:x:Ann',
  'transcript:x:Ann#12',
  'longmemeval:q1',
  'longmemeval:q1#2',
  'chatgpt:abc',
  'claude:def',
  'conv-1',
  'conv-2#2',
];
/** Prefixes whose UTF-16 order is not their code-point order (surrogates before full-width). */
const idPrefixes = ['m', 'M', 'mem-', 'ｍ', '𝔪', 'é', '', 'Z', 'm-0', 'm-00'];

/** Other spellings of one text: the same for `exactText`, or the same for `looseText`. */
const textVariants: ((text: string) => string)[] = [
  (text) => text,
  (text) => ` \t${text}  `,
  (text) => text.replaceAll(' ', '\u00a0'),
  (text) => text.replaceAll(' ', ' \t\n '),
  (text) => text.replace(' ', '\u2028'),
  (text) => text.replace(' ', '\v\f'),
  (text) => text.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  (text) => text.replaceAll('fi', 'ﬁ'),
  (text) => text.toUpperCase(),
  (text) => text.replace(/[.,!?'-]/g, ''),
  (text) => `${text}!!!`,
  (text) => text.replaceAll(' ', ''),
  (text) => `${text}\r\n`,
];

const keywordVariants: ((keyword: string) => string)[] = [
  (keyword) => keyword,
  (keyword) => keyword.toUpperCase(),
  (keyword) => `  ${keyword}\t`,
  (keyword) => keyword.charAt(0).toUpperCase() + keyword.slice(1),
];

/**
 * Memories built to trip detection: many owners (and `#2` repeats of one), ids that sort
 * differently by code unit and by code point, equal message times, locked memories, undated and
 * half-dated episodes, keywords in other cases and spacing, repeated and empty; exact and
 * near-exact copies in other spellings, of other owners or days; and more than 512 memories of one
 * block sharing a keyword, so that only neighbours in time are compared on it.
 */
function hostileMemories(seed: number, count: number, common: number): ConsolidationMemory[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const start = Date.UTC(2023, 0, 1);
  const respell = (keywords: readonly string[]) => {
    const spelled = keywords.map((keyword) => pick(keywordVariants)(keyword));
    if (random() < 0.2 && spelled.length > 0) spelled.push(pick(keywordVariants)(spelled[0]!));
    if (random() < 0.1) spelled.push('', '   ');
    return random() < 0.3 ? spelled.reverse() : spelled;
  };
  const days = () => {
    const roll = random();
    if (roll < 0.2) return { timeStart: null, timeEnd: null };
    const first = start + Math.floor(random() * 6) * DAY;
    if (roll < 0.25) return { timeStart: first, timeEnd: null };
    return { timeStart: first, timeEnd: first + Math.floor(random() * 3) * DAY };
  };
  // A copied episode: the same days, other days, or the same first day and another last.
  const otherDays = (original: ConsolidationMemory) => {
    const roll = random();
    if (roll < 0.3) return days();
    if (roll < 0.5 && original.timeStart !== null && original.timeEnd !== null)
      return { timeEnd: original.timeEnd + DAY };
    return {};
  };
  let made = 0;
  const id = () => `${pick(idPrefixes)}/${(made++).toString(36)}`;
  const memories: ConsolidationMemory[] = syntheticMemories(count, {
    templates,
    vocabulary,
    seed,
    conversations: 5,
  }).map(({ edited, ...memory }) => {
    const episodic = random() < 0.3;
    return {
      ...memory,
      sourceIdInWindow: 0,
      id: id(),
      conversationId: pick(owners),
      messageTimestamp:
        random() < 0.4 ? start + Math.floor(random() * 8) * 60_000 : memory.messageTimestamp,
      memoryType: episodic ? 'episodic' : memory.memoryType,
      ...(episodic ? days() : {}),
      keywords: random() < 0.05 ? [] : respell(memory.keywords),
      locked: edited === true || random() < 0.05,
    };
  });
  // Copies: the same text spelled otherwise, by the same owner (or its `#2`) or another.
  const originals = memories.length;
  for (let i = 0; i < originals / 3; i++) {
    const original = memories[Math.floor(random() * originals)]!;
    const owner = original.conversationId.replace(/#\d+$/, '');
    const roll = random();
    memories.push({
      ...original,
      id: id(),
      content: pick(textVariants)(original.content),
      conversationId: roll < 0.5 ? owner : roll < 0.8 ? `${owner}#2` : pick(owners),
      keywords: random() < 0.8 ? respell(original.keywords) : respell([pick(vocabulary)]),
      messageTimestamp:
        random() < 0.5 ? original.messageTimestamp : original.messageTimestamp + 60_000,
      ...(original.memoryType === 'episodic' ? otherDays(original) : {}),
      locked: random() < 0.05,
    });
  }
  // One block where "common" is shared by more than 512 memories; a second keyword from a few
  // makes pairs far apart in time share one keyword where near ones share two.
  const topics = vocabulary.slice(0, 12);
  const texts = templates.slice(0, 4).map((template) => template.content);
  for (let i = 0; i < common; i++) {
    const topic = pick(topics);
    memories.push({
      ...memories[i % originals]!,
      id: id(),
      conversationId: pick(['locomo:s1:Ann', 'locomo:s1:Ann#2']),
      memoryType: 'fact',
      messageTimestamp: start + Math.floor(i / 3) * 60_000,
      content: `${pick(texts)} ${topic}`,
      keywords: [pick(keywordVariants)('Common'), topic, ...(random() < 0.3 ? [pick(topics)] : [])],
      locked: random() < 0.03,
    });
  }
  // Random subsets of a few keywords: Jaccard at exactly 0.3 (3 of 10) and just below, many
  // partners at the same Jaccard, so that the best ten are cut inside a tie.
  const pool = vocabulary.slice(20, 34);
  for (let i = 0; i < 80; i++) {
    const size = 3 + Math.floor(random() * 6);
    const keywords = [...pool].sort(() => random() - 0.5).slice(0, size);
    memories.push({
      ...memories[i]!,
      id: id(),
      conversationId: 'longmemeval:q7',
      memoryType: 'profile',
      messageTimestamp: start + Math.floor(random() * 10) * 60_000,
      content: `The user likes ${keywords.slice(0, 3).join(' and ')}.`,
      keywords: keywords.map((keyword) => pick(keywordVariants)(keyword)),
      locked: false,
    });
  }
  // Pairs at a Jaccard of exactly 0.3 (6 and 7 keywords, 3 shared), kept, and just below it
  // (4 and 5 keywords, 2 shared: 2/7), left out.
  const words = vocabulary.slice(40);
  for (let i = 0; i < 20; i++) {
    const own = words.slice(i * 12, i * 12 + 12);
    const place = pick(['Rome', 'Paris', 'Lisbon']);
    const keywordLists = [own.slice(0, 6), [...own.slice(3, 6), ...own.slice(6, 10)]];
    keywordLists.push(own.slice(8, 12), [...own.slice(10, 12), ...own.slice(0, 3)]);
    for (const keywords of keywordLists)
      memories.push({
        ...memories[i]!,
        id: id(),
        conversationId: 'longmemeval:q8',
        memoryType: 'fact',
        messageTimestamp: start + Math.floor(random() * 10) * 60_000,
        content: `The user likes ${own[0]} and ${own[1]} in ${pick([place, 'Berlin'])}.`,
        keywords,
        locked: false,
      });
  }
  // Two memories that only a locked one would join (exact to one, near-exact to the other).
  const base = memories[0]!;
  for (const [content, keywords, locked] of [
    ['The user bakes bread on Sundays.', ['bread'], false],
    ['The user bakes bread on Sundays.', ['baking'], true],
    ['THE USER BAKES BREAD ON SUNDAYS', ['Baking'], false],
  ] as const)
    memories.push({
      ...base,
      id: id(),
      conversationId: 'claude:bridge',
      memoryType: 'fact',
      content,
      keywords: [...keywords],
      locked,
    });
  // Positions in no order of time or id.
  for (let i = memories.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [memories[i], memories[j]] = [memories[j]!, memories[i]!];
  }
  return memories;
}

/** An embedder whose vectors are far from unit length: similarities of about `scale`². */
class ScaledEmbedder implements Embedder {
  readonly dimensions = 384;
  constructor(private readonly scale: number) {}
  get modelId() {
    return `scaled by ${this.scale}`;
  }
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => fakeVector(text).map((value) => value * this.scale));
  }
}

/** A random unit vector per text: unlike texts near 0, either side, unlike spellings too. */
class SignedEmbedder implements Embedder {
  readonly modelId = 'signed';
  readonly dimensions = 384;
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      let seed = 7;
      for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619);
      const random = seededRandom(seed);
      const vector = Float32Array.from({ length: this.dimensions }, () => random() * 2 - 1);
      const norm = Math.hypot(...vector);
      return vector.map((value) => value / norm);
    });
  }
}

/** Every text the same vector: every similarity 1, so only the ids order the pairs. */
class ConstantEmbedder implements Embedder {
  readonly modelId = 'constant';
  readonly dimensions = 384;
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map(() => fakeVector('the same for every text'));
  }
}

async function expectSameAsReference(
  memories: ConsolidationMemory[],
  embedder: Embedder | null,
): Promise<Detection> {
  const expected = await referenceDetection(memories, embedder);
  const detection = await detectPairs(memories, { embedder });
  expect(detection).toEqual(expected);
  return expected;
}

/** Adjacent pairs with equal similarity: where only the ids decide the order. */
const ties = ({ pairs }: Detection) =>
  pairs.filter((pair, i) => i > 0 && pair.similarity === pairs[i - 1]!.similarity).length;

describe('detectPairs equals the pre-optimisation reference', () => {
  const datasets = [1, 2, 3].map((seed) => hostileMemories(seed, 700, 600));

  it('builds datasets that reach every rule: windows, both group kinds, owners, days', async () => {
    for (const memories of datasets) {
      const blockKeywords = new Map<string, number>();
      for (const memory of memories)
        for (const keyword of keywordSet(memory.keywords)) {
          const key = `${memoryOwner(memory.conversationId)}/${memory.memoryType}/${keyword}`;
          blockKeywords.set(key, (blockKeywords.get(key) ?? 0) + 1);
        }
      expect(Math.max(...blockKeywords.values())).toBeGreaterThan(512);
      const detection = await referenceDetection(memories);
      const kinds = new Set(detection.groups.map((group) => group.kind));
      expect(kinds).toEqual(new Set(['exact', 'near-exact']));
      // A group across an owner and its `#2` repeat.
      const owner = new Map(memories.map((memory) => [memory.id, memory.conversationId]));
      expect(
        detection.groups.some(
          (group) => new Set(group.members.map((id) => owner.get(id))).size > 1,
        ),
      ).toBe(true);
      expect(detection.stats.episodesApart).toBeGreaterThan(0);
      expect(detection.pairs.some((pair) => pair.jaccard === 0.3)).toBe(true);
      expect(detection.stats.belowSimilarity).toBeGreaterThan(0);
      expect(detection.pairs.filter((pair) => pair.rule === null).length).toBeGreaterThan(50);
      expect(ties(detection)).toBeGreaterThan(10);
    }
  });

  it('lexical similarity (no embedder)', async () => {
    for (const memories of datasets) await expectSameAsReference(memories, null);
  });

  it('the hashing embedder', async () => {
    for (const memories of datasets) await expectSameAsReference(memories, new FakeEmbedder());
  });

  it('vectors scaled by 10^9: similarities too large for the radix sort', async () => {
    const detection = await expectSameAsReference(datasets[0]!, new ScaledEmbedder(1e9));
    expect(detection.pairs[0]!.similarity).toBeGreaterThan(1e17);
  });

  it('vectors scaled by 10^4: sort keys that would pass 2^53 and lose the id order', async () => {
    const detection = await expectSameAsReference(datasets[1]!, new ScaledEmbedder(1e4));
    expect(detection.pairs[0]!.similarity).toBeGreaterThan(1e7);
  });

  it('random signed vectors: rule pairs kept below zero', async () => {
    const detection = await expectSameAsReference(datasets[1]!, new SignedEmbedder());
    expect(detection.pairs.some((pair) => pair.similarity < 0)).toBe(true);
  });

  it('every similarity tied: the older id, then the newer id, decide', async () => {
    const detection = await expectSameAsReference(datasets[2]!, new ConstantEmbedder());
    expect(ties(detection)).toBe(detection.pairs.length - 1);
  });

  it('the same memories in another order, a part of them, none and one', async () => {
    const memories = datasets[0]!;
    await expectSameAsReference([...memories].reverse(), null);
    await expectSameAsReference(memories.slice(0, 300), new FakeEmbedder());
    await expectSameAsReference([], null);
    await expectSameAsReference(memories.slice(0, 1), new FakeEmbedder());
  });
});
