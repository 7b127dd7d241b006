import { SearchIndex } from '../../src/core/search';
import { dayFromIso } from '../../src/store/ask/questionDate';
import { fixtureMemories } from './searchTestData';

/** The question the Ask tests put to the search fixture: two memories of trips answer it. */
export const parisQuestion = 'When did I go to Paris?';

/** The query analysis a model writes for the Paris question (its schema's keys, in order). */
export const parisAnalysis = {
  query_anchor: 'When did the user go to Paris?',
  need_assistant_context: false,
  dimension: { target_memory_type: ['episodic'], keywords: ['Paris'], time: '', location: 'Paris' },
  answer_dim: 'time',
};

/**
 * What the Ask box hands the ask service: `question`, asked on 2023-09-10, over the search
 * fixture's memories, with the meaning route off.
 */
export const askBoxInput = (question = parisQuestion) => ({
  question,
  askedOn: dayFromIso('2023-09-10'),
  index: new SearchIndex(fixtureMemories()),
  embed: null,
  meaningOff: 'no embedding model is loaded in this browser',
});
