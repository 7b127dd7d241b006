import { describe, expect, it } from 'vitest';

import { parseAnswerText } from '../../../../src/core/search';
import type { AskedQuestion } from '../../../../src/store/ask/askDetails';
import { readAskedQuestion } from '../../../../src/store/ask/askDetails';
import { answerSegments } from '../../../../src/store/ask/citations';
import { exportHistory } from '../../../../src/store/ask/historyExport';

const ids = ['m-paris-2021', 'm-paris-2023', 'm-rome-plan'];

describe('citations in an answer', () => {
  it('become the memories they name, in the order the memories were given', () => {
    const text = 'Answer: In 2021 [1] and again in 2023 [2][3], not [9].';
    const segments = answerSegments(text, ids);
    expect(segments.filter((s) => s.kind === 'citation')).toEqual([
      { kind: 'citation', number: 1, memoryId: 'm-paris-2021' },
      { kind: 'citation', number: 2, memoryId: 'm-paris-2023' },
      { kind: 'citation', number: 3, memoryId: 'm-rome-plan' },
      { kind: 'citation', number: 9, memoryId: null },
    ]);
    // Nothing of the text is lost between the pieces.
    const rebuilt = segments.map((s) => (s.kind === 'text' ? s.text : `[${s.number}]`)).join('');
    expect(rebuilt).toBe(text);
  });

  it('read lists and hostile brackets as the core parser does', () => {
    const text = 'See [1, 3] and [2;1]; ignore [a], [], [-1] and [1 ] and [[2]].';
    const numbers = answerSegments(text, ids)
      .filter((s) => s.kind === 'citation')
      .map((s) => (s.kind === 'citation' ? s.number : 0));
    expect(new Set(numbers)).toEqual(new Set(parseAnswerText(text, ids.length).citations));
    expect(numbers).toEqual([1, 3, 2, 1, 2]);
  });

  it('leave an unfinished citation as text while the answer streams', () => {
    expect(answerSegments('It was in 2021 [1', ids)).toEqual([
      { kind: 'text', text: 'It was in 2021 [1' },
    ]);
  });
});

const asked: AskedQuestion = readAskedQuestion({
  id: 'q1',
  question: 'When did I go to Paris?',
  askedAt: Date.parse('2023-09-10T12:00:00Z'),
  askedOn: '2023-09-10',
  details: {
    analysisBy: 'parser',
    timeUnderstood: null,
    notices: ['Meaning route off: no embedding model is loaded in this browser'],
    hits: [
      { memoryId: 'm-paris-2021', rank: 1, content: 'The user returned from Paris.', routes: [] },
      { memoryId: 'm-paris-2023', rank: 2, content: 'The user went to Paris again.', routes: [] },
    ],
    answer: {
      model: 'qwen3-4b-test at http://127.0.0.1:8000/v1',
      promptStyle: 'cited',
      text: 'Answer: In June 2021 [2] and [7].',
      status: 'done',
      error: null,
      memoryIds: ['m-paris-2021', 'm-paris-2023'],
      answeredAt: Date.parse('2023-09-10T12:00:05Z'),
    },
  },
});

describe('the question history export', () => {
  it('writes JSON with each cited memory resolved', () => {
    const file = exportHistory([asked], 'json', new Date('2023-09-11T00:00:00Z'));
    expect(file.fileName).toBe('dimmem-questions-2023-09-11.json');
    const json = JSON.parse(file.text);
    expect(json).toMatchObject({ format: 'dimmem-questions', version: 1 });
    expect(json.questions[0].question).toBe('When did I go to Paris?');
    expect(json.questions[0].details.answer.model).toBe(
      'qwen3-4b-test at http://127.0.0.1:8000/v1',
    );
    expect(json.questions[0].cited).toEqual([
      { number: 2, memoryId: 'm-paris-2023', content: 'The user went to Paris again.' },
      { number: 7, memoryId: null, content: null },
    ]);
  });

  it('writes Markdown a person can read: question, model, answer, cited memories', () => {
    const { text, fileName } = exportHistory([asked], 'markdown', new Date('2023-09-11T00:00:00Z'));
    expect(fileName).toBe('dimmem-questions-2023-09-11.md');
    expect(text).toContain('## When did I go to Paris?');
    expect(text).toContain('**Answer** by qwen3-4b-test at http://127.0.0.1:8000/v1 (done)');
    expect(text).toContain('- [2] The user went to Paris again. (`m-paris-2023`)');
    expect(text).toContain('- [7] names no memory given');
  });

  it('keeps a question whose details another version wrote', () => {
    const odd = readAskedQuestion({
      id: 'q2',
      question: 'Still here?',
      askedAt: 1,
      askedOn: '2023-09-10',
      details: { ranking: 'v9' },
    });
    expect(odd.question).toBe('Still here?');
    expect(odd.details.notices[0]).toMatch(/cannot read/);
  });
});
