import { describe, expect, it } from 'vitest';

import {
  bm25QueryWords,
  bm25Route,
  describeTimeConstraint,
  embeddingRoute,
  memoryMatchesTime,
  parseQuestion,
  parseTimeConstraint,
  SearchIndex,
  searchMemories,
  structuredQuery,
  structuredRoute,
  tokenize,
  type QueryAnalysis,
  type SearchableMemory,
} from '../../../../src/core/search';
import { parseNaiveIso } from '../../../../src/core/time/localTime';
import { fakeVector } from '../../../support/searchFakeEmbedder';
import { fixtureMemories, type FixtureMemory } from '../../../support/searchTestData';

const day = (text: string) => parseNaiveIso(text)!;
const memories = fixtureMemories();

function indexWithVectors(list: FixtureMemory[] = memories): SearchIndex<FixtureMemory> {
  const index = new SearchIndex(list);
  for (const m of list)
    index.setVector(m.id, fakeVector(`${m.content} ${m.reason} ${m.purpose}`), 'fake');
  return index;
}

const ask = (question: string, askedOn: string, index = indexWithVectors(), vector = true) => {
  const { analysis } = parseQuestion(question, { askedOn: day(askedOn) });
  return searchMemories(index, analysis, {
    queryVector: vector ? fakeVector(analysis.query_anchor) : null,
  });
};
const ids = (result: { hits: { memory: { id: string } }[] }) =>
  result.hits.map((hit) => hit.memory.id);

describe('time constraints', () => {
  const matches = (constraint: string, start: string | null, end: string | null, message: string) =>
    memoryMatchesTime(
      parseTimeConstraint(constraint)!,
      start === null ? null : day(start),
      end === null ? null : day(end),
      day(message),
    );

  it('reads the reference forms and widens "around" by 3 days, 31 days or 366 days', () => {
    expect(describeTimeConstraint(parseTimeConstraint('on 2023-05')!)).toBe(
      'between 2023-05-01 and 2023-05-31',
    );
    expect(describeTimeConstraint(parseTimeConstraint('2024-02')!)).toBe(
      'between 2024-02-01 and 2024-02-29',
    );
    expect(describeTimeConstraint(parseTimeConstraint('after 2023-05')!)).toBe('after 2023-05-31');
    expect(describeTimeConstraint(parseTimeConstraint('Before 2023')!)).toBe('before 2023-01-01');
    expect(describeTimeConstraint(parseTimeConstraint('around 2023-05-10')!)).toBe(
      'between 2023-05-07 and 2023-05-13',
    );
    expect(describeTimeConstraint(parseTimeConstraint('around 2023-05')!)).toBe(
      'between 2023-03-31 and 2023-07-01',
    );
    expect(describeTimeConstraint(parseTimeConstraint('around 2023')!)).toBe(
      'between 2021-12-31 and 2024-12-31',
    );
    expect(describeTimeConstraint(parseTimeConstraint('between 2023-11 and 2024-01')!)).toBe(
      'between 2023-11-01 and 2024-01-31',
    );
    for (const bad of [
      '',
      'soon',
      'on 2023-13',
      'on 2023-02-29',
      'between 2024 and 2023',
      'after yesterday',
    ]) {
      expect(parseTimeConstraint(bad), bad).toBeNull();
    }
  });

  it('matches at month and year boundaries to the day', () => {
    expect(matches('on 2023-12', '2023-12-31', '2023-12-31', '2024-01-05T10:00:00')).toBe(true);
    expect(matches('on 2023-12', '2024-01-01', '2024-01-01', '2024-01-05T10:00:00')).toBe(false);
    expect(matches('before 2024', '2023-12-31', '2023-12-31', '2024-01-05T10:00:00')).toBe(true);
    expect(matches('before 2024', '2024-01-01', '2024-01-01', '2024-01-05T10:00:00')).toBe(false);
    expect(matches('after 2023', '2024-01-01', '2024-01-01', '2023-06-01T10:00:00')).toBe(true);
    expect(matches('after 2023', '2023-12-31', '2023-12-31', '2023-06-01T10:00:00')).toBe(false);
    expect(matches('around 2023-01-31', '2023-02-03', '2023-02-03', '2022-01-01T00:00:00')).toBe(
      true,
    );
    expect(matches('around 2023-01-31', '2023-02-04', '2023-02-04', '2022-01-01T00:00:00')).toBe(
      false,
    );
    expect(matches('on 2024-02-29', '2024-02-29', '2024-02-29', '2022-01-01T00:00:00')).toBe(true);
  });

  it('uses memory time ranges, which the reference cannot read', () => {
    // The thesis runs 2023-09-01/2023-11-30 and was mentioned on 2023-09-02.
    expect(matches('on 2023-10', '2023-09-01', '2023-11-30', '2023-09-02T11:00:00')).toBe(true);
    expect(matches('on 2023-12', '2023-09-01', '2023-11-30', '2023-09-02T11:00:00')).toBe(false);
    // Without a time of its own, the source message's moment counts.
    expect(matches('on 2023-09-02', null, null, '2023-09-02T11:00:00')).toBe(true);
  });
});

describe('tokenizer', () => {
  it("gives the reference's words on ASCII and keeps other scripts", () => {
    expect(tokenize("The user's cat, 2023-05-01!")).toEqual([
      'the',
      'user',
      's',
      'cat',
      '2023',
      '05',
      '01',
    ]);
    expect(tokenize('Der Nutzer hat seine Oma in München besucht')).toContain('münchen');
    expect(tokenize('用户在东京吃了拉面')).toEqual([
      '用',
      '户',
      '在',
      '东',
      '京',
      '吃',
      '了',
      '拉',
      '面',
    ]);
    expect(tokenize('ＡＢＣ Привет')).toEqual(['abc', 'привет']);
  });
});

describe('routes on the fixture', () => {
  it("BM25 scores as the reference's formula does", () => {
    const index = new SearchIndex(memories);
    const analysis = parseQuestion('Where is Biscuit?', { askedOn: null }).analysis;
    expect(bm25QueryWords(analysis)).toEqual(['biscuit']);
    const hits = bm25Route(index, analysis, 15);
    expect(hits.map((h) => index.ids[h.slot])).toEqual(['m-dog', 'm-dog-walks']);
    // By hand: N documents, df 2, tf 2 in m-dog (content + keyword) over its length.
    const n = memories.length;
    const idf = Math.log(1 + (n - 2 + 0.5) / (2 + 0.5));
    const lengths = memories.map(
      (m) => tokenize([m.content, m.reason, m.purpose, m.keywords.join(' ')].join(' | ')).length,
    );
    const average = lengths.reduce((a, b) => a + b, 0) / n;
    const dog = memories.findIndex((m) => m.id === 'm-dog');
    const expected = (idf * 2 * 2.2) / (2 + 1.2 * (1 - 0.75 + (0.75 * lengths[dog]!) / average));
    expect(hits[0]!.score).toBeCloseTo(expected, 9);
  });

  it('structured score renormalises the weights over the parts the query uses', () => {
    const index = new SearchIndex(memories);
    const analysis: QueryAnalysis = {
      query_anchor: 'What did the user buy last week?',
      need_assistant_context: false,
      dimension: {
        target_memory_type: ['episodic'],
        keywords: ['road bike'],
        time: 'between 2023-08-28 and 2023-09-03',
        location: '',
      },
      answer_dim: 'content',
    };
    const query = structuredQuery(analysis, parseTimeConstraint(analysis.dimension.time));
    expect(query.weights).toEqual({
      type: 0.15 / 0.75,
      time: 0.3 / 0.75,
      keywordPhrase: 0.15 / 0.75,
      keywordTokens: 0.15 / 0.75,
    });
    const hits = structuredRoute(index, query, 15);
    expect(index.ids[hits[0]!.slot]).toBe('m-bike');
    expect(hits[0]!.score).toBeCloseTo(1, 9);
    // The helmet: episodic, outside the week, "bike" but not "road bike": 0.2 + 0.1.
    const helmet = hits.find((h) => index.ids[h.slot] === 'm-helmet')!;
    expect(helmet.score).toBeCloseTo(0.2 + 0.2 / 2, 9);
    // Nothing scoring 0 is listed.
    expect(hits.every((h) => h.score > 0)).toBe(true);
  });

  it('phrases match whole words: "art" is not in "start"', () => {
    const index = new SearchIndex(memories);
    const analysis = parseQuestion('art', { askedOn: null }).analysis;
    const hits = structuredRoute(index, structuredQuery(analysis, null), 15);
    expect(hits.map((h) => index.ids[h.slot])).not.toContain('m-art-start');
  });

  it('the meaning route ranks by cosine similarity and skips memories without a vector', () => {
    const index = new SearchIndex(memories);
    index.setVector(
      'm-dog',
      fakeVector('The user adopted a beagle named Biscuit on 2022-12-24.'),
      'fake',
    );
    index.setVector('m-marathon', fakeVector('marathon running'), 'fake');
    const hits = embeddingRoute(index, fakeVector('beagle named Biscuit'), 15);
    expect(hits.map((h) => index.ids[h.slot])).toEqual(['m-dog', 'm-marathon']);
    expect(hits[0]!.score).toBeGreaterThan(0.5);
    expect(hits[1]!.score).toBe(0);
  });
});

describe('search with fusion: known answers of the fixture', () => {
  const known: [string, string, string[]][] = [
    ['When did I last go to Paris?', '2023-09-10', ['m-paris-2021', 'm-paris-2023']],
    ['What did I buy last week?', '2023-09-10', ['m-bike']],
    ['What did I do in May 2023?', '2023-09-10', ['m-pottery', 'm-marathon']],
    ['Wann habe ich Oma in München besucht?', '2023-08-01', ['m-oma']],
    ['我在东京吃了什么?', '2023-10-10', ['m-ramen']],
    ['What did I do on New Year 2023?', '2023-09-10', ['m-newyear']],
    ['Where did Anna move?', '2023-09-10', ['m-sister']],
  ];
  it.each(known)('%s (asked on %s) ranks %j first', (question, askedOn, relevant) => {
    for (const withVectors of [true, false]) {
      const top = ids(ask(question, askedOn, indexWithVectors(), withVectors)).slice(
        0,
        relevant.length,
      );
      expect(top.sort()).toEqual([...relevant].sort());
    }
  });

  it('finds the thesis through its time range (Oct–Nov 2023), as the reference would not', () => {
    const result = ask(
      'What was I working on between October and November 2023?',
      '2023-12-05',
      indexWithVectors(),
      false,
    );
    expect(result.timeUnderstood).toBe('between 2023-10-01 and 2023-11-30');
    expect(ids(result)).toContain('m-thesis');
    const thesis = result.hits.find((h) => h.memory.id === 'm-thesis')!;
    expect(thesis.structured.parts.time).toBe(1);
  });

  it('concatenates bm25 → structured → minilm, removing duplicate contents, ties by id', () => {
    const result = ask('When did I bake sourdough?', '2023-09-10');
    const hitIds = ids(result);
    expect(new Set(hitIds).size).toBe(hitIds.length);
    // The two sourdough memories say the same: one is kept, with both its routes' ranks.
    expect(hitIds).toContain('m-sourdough');
    expect(hitIds).not.toContain('m-sourdough-dup');
    const sourdough = result.hits.find((h) => h.memory.id === 'm-sourdough')!;
    expect(sourdough.routes.filter((r) => r.route === 'bm25').map((r) => r.rank)).toEqual([1, 2]);
    // Route order: every bm25-first hit comes before every structured-first hit, then minilm.
    const order = result.hits.map((h) =>
      ['bm25', 'structured', 'minilm'].indexOf(h.routes[0]!.route),
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(result.routesOn).toEqual(['bm25', 'structured', 'minilm']);
    expect(result.hits.length).toBeLessThanOrEqual(45);
  });

  it('reciprocal rank fusion sums 1/(60 + rank) and breaks ties by id', () => {
    const index = indexWithVectors();
    const { analysis } = parseQuestion('When did I last go to Paris?', {
      askedOn: day('2023-09-10'),
    });
    const result = searchMemories(index, analysis, {
      queryVector: fakeVector(analysis.query_anchor),
      fusion: 'rrf',
    });
    for (const hit of result.hits) {
      expect(hit.fusedScore).toBeCloseTo(
        hit.routes.reduce((s, r) => s + 1 / (60 + r.rank), 0),
        12,
      );
    }
    for (let i = 1; i < result.hits.length; i++) {
      const [a, b] = [result.hits[i - 1]!, result.hits[i]!];
      expect(
        a.fusedScore! > b.fusedScore! ||
          (a.fusedScore === b.fusedScore && a.memory.id < b.memory.id),
      ).toBe(true);
    }
    expect(ids(result).slice(0, 2).sort()).toEqual(['m-paris-2021', 'm-paris-2023']);
  });

  it('gives the same list whatever order the memories come in', () => {
    const reversed = new SearchIndex([...memories].reverse());
    for (const m of memories)
      reversed.setVector(m.id, fakeVector(`${m.content} ${m.reason} ${m.purpose}`), 'fake');
    for (const question of ['What do I like to eat?', 'What did I buy last week?', 'dog']) {
      expect(ids(ask(question, '2023-09-10', reversed))).toEqual(ids(ask(question, '2023-09-10')));
    }
  });

  it('an index updated memory by memory ranks as one built at once', () => {
    const incremental = new SearchIndex<SearchableMemory>([]);
    for (const m of memories.slice(0, 10)) incremental.add(m);
    incremental.sync(memories);
    incremental.remove('m-bike');
    const edited = {
      ...memories.find((m) => m.id === 'm-helmet')!,
      content: 'The user bought a road bike helmet on 2023-09-06.',
    };
    incremental.add(edited);
    const rebuilt = new SearchIndex<SearchableMemory>(
      memories.filter((m) => m.id !== 'm-bike').map((m) => (m.id === 'm-helmet' ? edited : m)),
    );
    for (const question of ['What did I buy?', 'road bike', 'What do I like to eat?']) {
      const { analysis } = parseQuestion(question, { askedOn: day('2023-09-10') });
      const a = searchMemories(incremental, analysis).hits.map((h) => [h.memory.id, h.routes]);
      const b = searchMemories(rebuilt, analysis).hits.map((h) => [h.memory.id, h.routes]);
      expect(a).toEqual(b);
    }
  });

  it('says when nothing matches, and ignores a time it cannot read', () => {
    const none = ask('xylophone quarterly', '2023-09-10', new SearchIndex(memories), false);
    expect(none.hits).toEqual([]);
    const analysis: QueryAnalysis = {
      query_anchor: 'dog',
      need_assistant_context: false,
      dimension: {
        target_memory_type: [],
        keywords: ['dog'],
        time: 'sometime last spring-ish',
        location: '',
      },
      answer_dim: 'content',
    };
    const result = searchMemories(new SearchIndex(memories), analysis);
    expect(result.time).toBeNull();
    expect(result.timeIgnored).toBe('sometime last spring-ish');
    expect(ids(result)).toContain('m-dog');
  });
});
