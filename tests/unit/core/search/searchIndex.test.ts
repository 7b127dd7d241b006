import { describe, expect, it } from 'vitest';

import {
  parseTimeConstraint,
  SearchIndex,
  structuredQuery,
  structuredRoute,
  structuredScoreOf,
  type QueryAnalysis,
  type SearchableMemory,
} from '../../../../src/core/search';
import { fixtureMemories } from '../../../support/searchTestData';

const base = fixtureMemories()[0]!;
const memory = (id: string, fields: Partial<SearchableMemory> = {}): SearchableMemory => ({
  ...base,
  id,
  ...fields,
});

const analysis = (dimension: Partial<QueryAnalysis['dimension']>): QueryAnalysis => ({
  query_anchor: '',
  need_assistant_context: false,
  dimension: { target_memory_type: [], keywords: [], time: '', location: '', ...dimension },
  answer_dim: 'content',
});

/** The structured route's list for a type-only question: every memory of the type ties. */
function episodicTies(index: SearchIndex, k: number): string[] {
  const query = structuredQuery(analysis({ target_memory_type: ['episodic'] }), null);
  return structuredRoute(index, query, k).map(({ slot }) => index.ids[slot]!);
}

describe('search index', () => {
  it('breaks ties by id as `<` orders strings, however the index was filled', () => {
    // Digits compare as text ("m10" < "m9"), upper case before lower, code units not code points.
    const ids = Array.from(
      { length: 400 },
      (_, i) => [`m${i}`, `M-${i}`, `é${i}`, `\u{1F600}${i}`, `\uFFFF${i}`, `m${i}z`][i % 6]!,
    );
    const index = new SearchIndex(ids.slice(0, 300).map((id) => memory(id)));
    const expectTies = () => {
      const live = ids.filter((id) => index.get(id) !== undefined);
      expect(episodicTies(index, 40)).toEqual([...live].sort().slice(0, 40));
    };
    expectTies();
    // A few added: merged into the order; many added: sorted again.
    for (const id of ids.slice(300, 305)) index.add(memory(id));
    expectTies();
    for (const id of ids.slice(305)) index.add(memory(id));
    expectTies();
    // Removed and changed memories leave dead slots behind, which never rank.
    for (const id of ids.filter((_, i) => i % 3 === 0)) index.remove(id);
    for (const id of ids.filter((_, i) => i % 3 === 1))
      index.add(memory(id, { content: 'Changed.' }));
    expectTies();
  });

  it('matches a phrase or a place only within one field', () => {
    const index = new SearchIndex([
      memory('across', { content: 'The user loves New', keywords: ['York pizza'], location: '' }),
      memory('inside', {
        content: 'A trip.',
        reason: 'to see New York',
        keywords: [],
        location: '',
      }),
    ]);
    const query = structuredQuery(analysis({ keywords: ['New York'], location: 'New York' }), null);
    const listed = structuredRoute(index, query, 15).map(({ slot }) => index.ids[slot]);
    expect(listed[0]).toBe('inside');
    const across = structuredScoreOf(index, query, index.slotOfId('across')!);
    expect(across.parts).toEqual({ location: 0, keywordPhrase: 0, keywordTokens: 1 });
    const inside = structuredScoreOf(index, query, index.slotOfId('inside')!);
    expect(inside.parts).toEqual({ location: 1, keywordPhrase: 1, keywordTokens: 1 });
  });

  it('forgets a removed memory in BM25 counts and in every route', () => {
    const index = new SearchIndex([
      memory('a', { content: 'zebra crossing' }),
      memory('b', { content: 'zebra stripes' }),
    ]);
    expect(index.frequencyOf('zebra')).toBe(2);
    index.remove('a');
    expect(index.frequencyOf('zebra')).toBe(1);
    expect(index.frequencyOf('crossing')).toBe(0);
    const time = parseTimeConstraint('on 2021');
    const query = structuredQuery(analysis({ keywords: ['zebra'], time: 'on 2021' }), time);
    expect(structuredRoute(index, query, 15).map(({ slot }) => index.ids[slot])).toEqual(['b']);
  });
});
