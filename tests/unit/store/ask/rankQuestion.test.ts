import { describe, expect, it } from 'vitest';

import { emptyFilters, MemoryIndex } from '../../../../src/core/filter';
import { SearchIndex } from '../../../../src/core/search';
import { dayFromIso } from '../../../../src/store/ask/questionDate';
import { rankQuestion, whyRanked } from '../../../../src/store/ask/rankQuestion';
import { fixtureMemories, type FixtureMemory } from '../../../support/searchTestData';

type Row = FixtureMemory & { conversationId: string; edited: boolean };
const memories: Row[] = fixtureMemories().map((memory) => ({
  ...memory,
  conversationId: 'search-fixture',
  edited: false,
}));
const askedOn = dayFromIso('2023-09-10');

/** The rows the table shows for these filters, as the memories view computes them. */
function tableRows(filters: Partial<typeof emptyFilters>): Row[] {
  const index = new MemoryIndex<Row>();
  index.sync(memories);
  return [...index.query({ ...emptyFilters, ...filters }, null).rows];
}

function rank(rows: Row[], question: string) {
  return rankQuestion(new SearchIndex<Row>(rows), question, { askedOn });
}

describe('ranking a question in the Ask box', () => {
  it('ranks the memories that answer it first, with why and the time understood', () => {
    const ranking = rank(tableRows({}), 'What did I buy last week?');
    expect(ranking.analysisBy).toBe('parser');
    expect(ranking.result.timeUnderstood).toBe('between 2023-08-28 and 2023-09-03');
    const first = ranking.result.hits[0]!;
    expect(first.memory.id).toBe('m-bike');
    const why = whyRanked(first, ranking.result.timeUnderstood);
    expect(why).toContain('structured #');
    expect(why).toContain('time');
    expect(why).toContain('between 2023-08-28 and 2023-09-03');
    // The helmet was bought the week after: not in the time window, so not ranked above the bike.
    const helmet = ranking.result.hits.find((hit) => hit.memory.id === 'm-helmet');
    expect(helmet === undefined || helmet.rank > first.rank).toBe(true);
  });

  it('ranks only within the table’s current filters', () => {
    const all = rank(tableRows({}), 'When did I go to Paris?');
    const allIds = all.result.hits.map((hit) => hit.memory.id);
    expect(allIds).toEqual(expect.arrayContaining(['m-paris-2021', 'm-paris-2023']));

    const from2023 = tableRows({ timeFrom: '2023-01-01', timeBasis: 'message' });
    const filtered = rank(from2023, 'When did I go to Paris?');
    const ids = filtered.result.hits.map((hit) => hit.memory.id);
    expect(ids).toContain('m-paris-2023');
    expect(ids).not.toContain('m-paris-2021');
    const shown = new Set(from2023.map((row) => row.id));
    expect(ids.every((id) => shown.has(id))).toBe(true);
    expect(filtered.result.hits[0]!.memory.id).toBe('m-paris-2023');
  });

  it('finds nothing for a question that shares nothing with the memories, and says why routes are off', () => {
    const ranking = rankQuestion(new SearchIndex<Row>(tableRows({})), 'xylophone quarks?', {
      askedOn,
      meaningOff: 'no embedding model is loaded in this browser',
    });
    expect(ranking.result.hits).toEqual([]);
    expect(ranking.result.routesOn).toEqual(['bm25', 'structured']);
    expect(ranking.notices).toContain(
      'Meaning route off: no embedding model is loaded in this browser',
    );
  });

  it('uses a model’s analysis when given, and names the model', () => {
    const ranking = rankQuestion(new SearchIndex<Row>(tableRows({})), 'where is my sister now', {
      askedOn,
      modelAnalysis: {
        by: 'test-model at http://127.0.0.1/v1',
        analysis: {
          query_anchor: "Where does the user's sister live now?",
          need_assistant_context: false,
          dimension: {
            target_memory_type: ['fact'],
            keywords: ['sister', 'Anna'],
            time: '',
            location: '',
          },
          answer_dim: 'location',
        },
      },
    });
    expect(ranking.analysisBy).toBe('test-model at http://127.0.0.1/v1');
    expect(ranking.result.hits[0]!.memory.id).toBe('m-sister');
  });
});
