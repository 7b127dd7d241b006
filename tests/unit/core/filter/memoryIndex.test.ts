import { describe, expect, it } from 'vitest';

import { emptyFilters, MemoryIndex, syntheticMemories } from '../../../../src/core/filter';
import type { FilterableMemory, MemoryFilters } from '../../../../src/core/filter';
import { memoryTypes } from '../../../../src/core/schema/answer';
import { parseNaiveIso } from '../../../../src/core/time/localTime';
import { locomoVocabulary, seedAnswer, seedMemories } from '../../../support/filterTestData';

const filters = (overrides: Partial<MemoryFilters>): MemoryFilters => ({
  ...emptyFilters,
  ...overrides,
});
const contents = (rows: FilterableMemory[]) => rows.map((row) => row.content);

describe('MemoryIndex on the seed conversation (16 recorded memories)', () => {
  const memories = seedMemories();
  const index = new MemoryIndex(memories);

  it('shows every memory, in store order, when nothing is filtered', () => {
    const result = index.query(emptyFilters);
    expect(result.total).toBe(16);
    expect(result.rows.map((row) => row.id)).toEqual(memories.map((memory) => memory.id));
  });

  it('filters by type and counts each type as if only it were chosen', () => {
    const result = index.query(filters({ types: ['fact'] }));
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.every((row) => row.memoryType === 'fact')).toBe(true);
    for (const type of memoryTypes) {
      expect(result.typeCounts[type]).toBe(memories.filter((m) => m.memoryType === type).length);
    }
    const twoTypes = index.query(filters({ types: ['fact', 'profile'] }));
    expect(twoTypes.rows.length).toBe(result.typeCounts.fact + result.typeCounts.profile);
  });

  it('finds memories by keyword regardless of case, and counts keywords of the result', () => {
    const result = index.query(filters({ keywords: ['paris'] }));
    expect(result.rows.length).toBe(
      memories.filter((m) => m.keywords.some((k) => k.toLowerCase() === 'paris')).length,
    );
    expect(result.rows.length).toBeGreaterThan(1);
    expect(result.keywordFacets[0]).toEqual({ keyword: 'Paris', count: result.rows.length });
  });

  it('finds text by prefix and despite a typo', () => {
    const prefix = index.query(filters({ text: 'bolog' }));
    expect(prefix.rows.length).toBeGreaterThan(0);
    expect(contents(prefix.rows).every((content) => /bolognese/i.test(content))).toBe(true);

    const typo = index.query(filters({ text: 'restaurnts' }));
    expect(contents(typo.rows).some((content) => /restaurants/i.test(content))).toBe(true);

    const nothing = index.query(filters({ text: 'submarine' }));
    expect(nothing.rows).toEqual([]);
  });

  it('combines every word of the search (AND), best match first', () => {
    const searched = (m: FilterableMemory) =>
      [m.content, m.keywords.join(' '), m.location, m.reason, m.purpose].join(' ').toLowerCase();
    const result = index.query(filters({ text: 'garlic bread' }));
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.map((row) => row.id).sort()).toEqual(
      memories
        .filter((m) => searched(m).includes('garlic') && searched(m).includes('bread'))
        .map((m) => m.id)
        .sort(),
    );

    // "garlic" is in the Parmesan memory's content, two of its keywords and its purpose, but only
    // in the other one's content and one keyword: it ranks first though it comes later in the store.
    const ranked = index.query(filters({ text: 'garlic' })).rows.map((row) => row.id);
    const parmesan = memories.find((m) => m.content.includes('Parmesan cheese to the garlic'))!;
    const bread = memories.find((m) => m.content.includes('making garlic bread'))!;
    expect(memories.indexOf(parmesan)).toBeGreaterThan(memories.indexOf(bread));
    expect(ranked).toEqual([parmesan.id, bread.id]);

    // A sort replaces the ranking: by content, "The user has…" comes before "The user plans…".
    const sorted = index.query(filters({ text: 'garlic' }), { column: 'content', desc: false });
    expect(sorted.rows.map((row) => row.id)).toEqual([bread.id, parmesan.id]);
  });

  it('filters by message day', () => {
    const result = index.query(filters({ timeFrom: '2023-04-27', timeTo: '2023-04-27' }));
    const day = parseNaiveIso('2023-04-27')!;
    const expected = memories.filter(
      (m) => m.messageTimestamp >= day && m.messageTimestamp < day + 86_400_000,
    );
    expect(result.rows.length).toBe(expected.length);
    expect(result.rows.length).toBeGreaterThan(0);
  });

  it('filters by memory time overlap, leaving undated memories out while a range is set', () => {
    const result = index.query(
      filters({ timeBasis: 'memory', timeFrom: '2023-04-25', timeTo: '2023-05-31' }),
    );
    expect(result.rows.map((row) => row.time).sort()).toEqual(
      memories
        .map((m) => m.time)
        .filter((time) => time >= '2023-04-25' && time !== '')
        .sort(),
    );
    expect(result.timeline.undated).toBe(memories.filter((m) => m.time === '').length);
  });

  it('sorts any column, keeping empty values last in both directions', () => {
    const ascending = index.query(emptyFilters, { column: 'location', desc: false });
    const descending = index.query(emptyFilters, { column: 'location', desc: true });
    const filled = (rows: FilterableMemory[]) =>
      rows.map((row) => row.location).filter((loc) => loc !== '');
    expect(filled(ascending.rows)).toEqual(
      [...filled(ascending.rows)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );
    expect(filled(descending.rows)).toEqual([...filled(ascending.rows)].reverse());
    expect(ascending.rows.at(-1)!.location).toBe('');
    expect(descending.rows.at(-1)!.location).toBe('');

    const byMessage = index.query(emptyFilters, { column: 'messageTimestamp', desc: true });
    const times = byMessage.rows.map((row) => row.messageTimestamp);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('offers related memories: same source message first, then shared keywords', () => {
    const first = memories.find(
      (m) => memories.filter((other) => other.messageId === m.messageId).length > 1,
    )!;
    const related = index.related(first.id);
    expect(related[0]!.messageId).toBe(first.messageId);
    expect(related.map((row) => row.id)).not.toContain(first.id);
  });
});

describe('MemoryIndex keeps up with changes without a rebuild', () => {
  it('adds streamed memories, re-indexes edits and forgets deletions', () => {
    const memories = seedMemories();
    const index = new MemoryIndex(memories.slice(0, 4));
    expect(index.query(filters({ text: 'pasta' })).rows).toEqual([]);

    expect(index.sync(memories)).toBe(true);
    expect(index.query(filters({ text: 'pasta' })).rows.length).toBeGreaterThan(0);
    expect(index.sync([...memories])).toBe(false);

    const target = memories[0]!;
    const edited = {
      ...target,
      content: 'The user adores zeppelins.',
      keywords: ['zeppelins'],
      location: '',
      purpose: '',
      edited: true,
    };
    index.sync(memories.map((m) => (m.id === target.id ? edited : m)));
    expect(index.query(filters({ text: 'zeppelins' })).rows).toEqual([edited]);
    expect(index.query(filters({ editedOnly: true })).rows).toEqual([edited]);
    expect(index.query(filters({ text: 'broadway' })).rows.map((m) => m.id)).not.toContain(
      target.id,
    );

    index.sync(memories.slice(1));
    expect(index.get(target.id)).toBeUndefined();
    expect(index.query(filters({ text: 'zeppelins' })).rows).toEqual([]);
    expect(index.query(emptyFilters).total).toBe(15);
  });

  it('re-sorts after a change instead of serving a stale order', () => {
    const memories = seedMemories();
    const index = new MemoryIndex(memories);
    const sort = { column: 'content', desc: false } as const;
    index.query(emptyFilters, sort);
    const first = { ...memories[5]!, id: 'new', content: '000 first of all' };
    index.sync([...memories, first]);
    expect(index.query(emptyFilters, sort).rows[0]).toBe(first);
  });

  it('answers "no filter" again from memory, but never after a change', () => {
    const memories = seedMemories();
    const index = new MemoryIndex(memories, { keywordFacetLimit: 1000 });
    const unfiltered = index.query(emptyFilters);
    index.query(filters({ types: ['fact'] }));
    expect(index.query(emptyFilters)).toBe(unfiltered);

    // Another order, sort, time basis or content is another answer.
    const reversed = [...memories].reverse();
    index.sync(reversed);
    expect(index.query(emptyFilters).rows).toEqual(reversed);
    const sort = { column: 'content', desc: true } as const;
    expect(index.query(emptyFilters, sort).rows[0]!.content).toBe(
      [...memories]
        .map((m) => m.content)
        .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : -1))[0],
    );
    const byMemoryTime = index.query(filters({ timeBasis: 'memory' }));
    expect(byMemoryTime.timeline).not.toEqual(index.query(emptyFilters).timeline);
    const edited = { ...reversed[0]!, keywords: ['zeppelins'] };
    index.sync([edited, ...reversed.slice(1)]);
    expect(index.query(emptyFilters).keywordFacets).toContainEqual({
      keyword: 'zeppelins',
      count: 1,
    });
  });
});

/** Brute force: what the filters mean, written as plainly as possible. */
function reference(memories: FilterableMemory[], f: MemoryFilters): FilterableMemory[] {
  const day = 86_400_000;
  const from = f.timeFrom ? parseNaiveIso(f.timeFrom)! : -Infinity;
  const to = f.timeTo ? parseNaiveIso(f.timeTo)! + day : Infinity;
  return memories.filter((m) => {
    if (f.types.length > 0 && !f.types.includes(m.memoryType)) return false;
    if (f.conversationIds.length > 0 && !f.conversationIds.includes(m.conversationId)) return false;
    if (f.editedOnly && !m.edited) return false;
    if (f.location && !m.location.toLowerCase().includes(f.location.toLowerCase())) return false;
    const own = m.keywords.map((k) => k.toLowerCase());
    if (!f.keywords.every((k) => own.includes(k.toLowerCase()))) return false;
    if (f.timeFrom || f.timeTo) {
      if (f.timeBasis === 'message') {
        if (!(m.messageTimestamp >= from && m.messageTimestamp < to)) return false;
      } else {
        if (m.timeStart === null) return false;
        if (!(m.timeStart < to && (m.timeEnd ?? m.timeStart) >= from)) return false;
      }
    }
    return true;
  });
}

describe('MemoryIndex agrees with a brute-force filter on 5,000 realistic memories', () => {
  const memories = syntheticMemories(5_000, {
    templates: seedAnswer(),
    vocabulary: locomoVocabulary(),
    conversations: 12,
  });
  const index = new MemoryIndex(memories);
  const someKeyword = memories[42]!.keywords[0]!;
  const someLocation = memories.find((m) => m.location !== '')!.location.slice(0, 3);

  const cases: Partial<MemoryFilters>[] = [
    { types: ['episodic'] },
    { types: ['profile', 'fact'], editedOnly: true },
    { keywords: [someKeyword] },
    { keywords: [someKeyword.toUpperCase(), memories[42]!.keywords[3]!] },
    { location: someLocation },
    { conversationIds: ['conv-3', 'conv-7'] },
    { timeFrom: '2021-03-01', timeTo: '2021-06-30' },
    { timeFrom: '2021-03-01', timeBasis: 'memory' },
    { timeTo: '2021-02-15', timeBasis: 'memory', types: ['episodic'] },
    { types: ['episodic'], keywords: [someKeyword], conversationIds: ['conv-0'] },
  ];

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s', (_label, overrides) => {
    const f = filters(overrides);
    const result = index.query(f);
    expect(result.rows.map((m) => m.id)).toEqual(reference(memories, f).map((m) => m.id));
    expect(result.total).toBe(5_000);
    // The timeline covers everything but the time filter; its bars add up to that.
    const withoutTime = reference(memories, { ...f, timeFrom: null, timeTo: null });
    const dated = result.timeline.buckets.reduce((sum, bucket) => sum + bucket.count, 0);
    expect(dated + result.timeline.undated).toBe(withoutTime.length);
    for (const type of memoryTypes) {
      expect(result.typeCounts[type]).toBe(reference(memories, { ...f, types: [type] }).length);
    }
  });

  it('counts keyword chips exactly over the result', () => {
    const f = filters({ types: ['profile'] });
    const result = index.query(f);
    const expected = new Map<string, number>();
    for (const memory of reference(memories, f)) {
      for (const keyword of new Set(memory.keywords.map((k) => k.toLowerCase()))) {
        expected.set(keyword, (expected.get(keyword) ?? 0) + 1);
      }
    }
    const top = [...expected.values()].sort((a, b) => b - a);
    expect(result.keywordFacets.length).toBe(Math.min(40, expected.size));
    result.keywordFacets.forEach((facet, rank) => {
      expect(facet.count).toBe(expected.get(facet.keyword.toLowerCase()));
      expect(facet.count).toBe(top[rank]);
    });
  });

  it('finds a rare word from the conversation through search, with other filters applied', () => {
    const target = memories[1234]!;
    const rare = target.keywords.at(-1)!;
    const result = index.query(filters({ text: rare, conversationIds: [target.conversationId] }));
    expect(result.rows.map((m) => m.id)).toContain(target.id);
    expect(result.rows.every((m) => m.conversationId === target.conversationId)).toBe(true);
  });
});
