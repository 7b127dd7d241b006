import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseQuestion } from '../../../../src/core/search';
import { parseNaiveIso } from '../../../../src/core/time/localTime';

const locomoDir = path.resolve(__dirname, '../../../fixtures/locomo');
const locomoQuestions: string[] = readdirSync(locomoDir)
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => {
    const data = JSON.parse(readFileSync(path.join(locomoDir, name), 'utf8')) as {
      qa: { question: unknown }[];
    };
    return data.qa.map((item) => String(item.question));
  });

const day = (text: string) => parseNaiveIso(text)!;
const timeOf = (question: string, askedOn: string | null = null) =>
  parseQuestion(question, { askedOn: askedOn === null ? null : day(askedOn) }).analysis.dimension
    .time;

describe('deterministic question parser on LoCoMo', () => {
  it('reads all 1,986 LoCoMo questions into the reference shape without throwing', () => {
    expect(locomoQuestions).toHaveLength(1986);
    for (const question of locomoQuestions) {
      const { analysis } = parseQuestion(question, { askedOn: null });
      expect(Object.keys(analysis)).toEqual([
        'query_anchor',
        'need_assistant_context',
        'dimension',
        'answer_dim',
      ]);
      expect(Object.keys(analysis.dimension)).toEqual([
        'target_memory_type',
        'keywords',
        'time',
        'location',
      ]);
      expect(analysis.query_anchor).not.toBe('');
    }
  });

  it('understands the dates LoCoMo questions carry', () => {
    const cases: [string, string][] = [
      [
        'What kind of professional experience did Jon get accepted for on May 23, 2023?',
        'on 2023-05-23',
      ],
      [
        'What community service did Maria mention that she was involved in on 31 July, 2023?',
        'on 2023-07-31',
      ],
      ["What happened to Maria's job in August 2023?", 'on 2023-08'],
      ['What state did Joanna visit in summer 2021?', 'between 2021-06 and 2021-08'],
      ['Where was John between August 11 and August 15 2023?', 'between 2023-08-11 and 2023-08-15'],
      ['What did Audrey and her GF do on the Monday before July 24, 2023?', 'on 2023-07-17'],
      [
        'What did Joanna contribute to that was shown on the big screen on the Sunday before October 25, 2022?',
        'on 2022-10-23',
      ],
      [
        'What did Maria participate in last weekend before April 10, 2023?',
        'between 2023-04-08 and 2023-04-09',
      ],
      [
        "What is the name of Maria's puppy she got two weeks before August 11, 2023?",
        'around 2023-07-28',
      ],
      [
        'What did John do the week before August 3, 2023 involving his kids?',
        'between 2023-07-27 and 2023-08-02',
      ],
      [
        'Was the first half of September 2022 a good month career-wise for Nate and Joanna? Answer yes or no.',
        'between 2022-09-01 and 2022-09-15',
      ],
      ['How many video game tournaments has Nate won by July 10, 2022?', 'before 2022-07-10'],
      ['What did Gina find for her clothing store on 1 February, 2023?', 'on 2023-02-01'],
    ];
    for (const [question, time] of cases) {
      expect(locomoQuestions).toContain(question);
      expect(timeOf(question), question).toBe(time);
    }
  });

  it('takes no time from a number that is a name, and says when a date is missing', () => {
    expect(locomoQuestions).toContain('When did James try Cyberpunk 2077 game?');
    expect(timeOf('When did James try Cyberpunk 2077 game?')).toBe('');
    const parsed = parseQuestion('Which outdoor spot did Joanna visit in May?', { askedOn: null });
    expect(parsed.analysis.dimension.time).toBe('');
    expect(parsed.notes[0]).toMatch(/"in May" needs the date the question was asked/);
    // With the question's date, the latest May up to it.
    expect(timeOf('Which outdoor spot did Joanna visit in May?', '2022-07-01')).toBe('on 2022-05');
    expect(timeOf('Which outdoor spot did Joanna visit in May?', '2022-03-01')).toBe('on 2021-05');
  });

  it('finds types, keywords, places and the answer field', () => {
    const when = parseQuestion('When did Caroline go to the LGBTQ support group?', {
      askedOn: null,
    }).analysis;
    expect(when.dimension.target_memory_type).toEqual(['episodic']);
    expect(when.dimension.keywords).toEqual(['Caroline', 'LGBTQ', 'support', 'group']);
    expect(when.answer_dim).toBe('time');

    const likes = parseQuestion('What do I like to eat?', { askedOn: null }).analysis;
    expect(likes.dimension.target_memory_type).toEqual(['profile']);
    expect(likes.query_anchor).toBe('What do the user like to eat?');

    const place = parseQuestion('What did I eat at Bella Vita in April?', {
      askedOn: day('2023-09-10'),
    }).analysis;
    expect(place.dimension.location).toBe('Bella Vita');
    expect(place.dimension.keywords).toContain('Bella Vita');
    expect(place.dimension.time).toBe('on 2023-04');

    const book = parseQuestion('When did Melanie read the book "nothing is impossible"?', {
      askedOn: null,
    });
    expect(book.analysis.dimension.keywords[0]).toBe('nothing is impossible');

    expect(parseQuestion('Where did I park?', { askedOn: null }).analysis.answer_dim).toBe(
      'location',
    );
    expect(parseQuestion('Why did I quit my job?', { askedOn: null }).analysis.answer_dim).toBe(
      'reason',
    );
    expect(
      parseQuestion('How many countries have I visited?', { askedOn: null }).analysis.answer_dim,
    ).toBe('');
    expect(
      parseQuestion("What is my sister's name?", { askedOn: null }).analysis.dimension
        .target_memory_type,
    ).toContain('fact');
  });

  it('sets need_assistant_context as the reference prompt describes', () => {
    const yes = 'Can you remind me which airline you suggested last time for budget flights?';
    const no = 'How many countries have I visited this year?';
    expect(parseQuestion(yes, { askedOn: null }).analysis.need_assistant_context).toBe(true);
    expect(parseQuestion(no, { askedOn: null }).analysis.need_assistant_context).toBe(false);
  });

  it('keeps words of other languages as keywords', () => {
    const german = parseQuestion('Wann habe ich Oma in München besucht?', {
      askedOn: null,
    }).analysis;
    expect(german.dimension.keywords).toEqual(expect.arrayContaining(['Oma', 'München']));
    expect(german.dimension.location).toBe('München');
  });

  it('survives hostile input', () => {
    for (const question of [
      '',
      '   ',
      '???',
      '{"query_anchor": 1}',
      'in in in May May May',
      'x'.repeat(20_000),
      '2023-02-30',
      'between 2023 and 2021',
    ]) {
      expect(() => parseQuestion(question, { askedOn: day('2023-05-01') })).not.toThrow();
    }
    expect(timeOf('What happened on 2023-02-30?', '2023-05-01')).toBe('');
    // A backwards range is no constraint rather than one nothing can match.
    expect(timeOf('What happened between 2023 and 2021?', '2023-05-01')).toBe(
      'between 2023 and 2021',
    );
  });
});

describe('relative times against the question date', () => {
  // 2023-07-12 is a Wednesday.
  const askedOn = '2023-07-12';
  const cases: [string, string][] = [
    ['What did I buy last week?', 'between 2023-07-03 and 2023-07-09'],
    ['What did I do this week?', 'between 2023-07-10 and 2023-07-12'],
    ['What did I do in the past week?', 'between 2023-07-05 and 2023-07-12'],
    ['What happened yesterday?', 'on 2023-07-11'],
    ['What did I eat today?', 'on 2023-07-12'],
    ['What did I do the day before yesterday?', 'on 2023-07-10'],
    ['What did I do last weekend?', 'between 2023-07-08 and 2023-07-09'],
    ['What did I do last Friday?', 'on 2023-07-07'],
    ['What did I read last month?', 'on 2023-06'],
    ['What did I cook this month?', 'on 2023-07'],
    ['Where did I travel last year?', 'on 2022'],
    ['What did I do in May 2023?', 'on 2023-05'],
    ['What did I do in May?', 'on 2023-05'],
    ['What did I do last May?', 'on 2023-05'],
    ['Where did I eat before June?', 'before 2023-06'],
    ['What did I start after 2023-05-01?', 'after 2023-05-01'],
    ['What have I done since March 2023?', 'after 2023-03'],
    ['What did I do around 10 May 2023?', 'around 2023-05-10'],
    ['What did we discuss between March and May 2023?', 'between 2023-03 and 2023-05'],
    ['What did I plan from 1 May to 7 May 2023?', 'between 2023-05-01 and 2023-05-07'],
    ['Where did I move 2 years ago?', 'around 2021'],
    ['What did I buy three days ago?', 'around 2023-07-09'],
    ['What did I start a week ago?', 'around 2023-07-05'],
    ['What did I learn two months ago?', 'around 2023-05'],
    ['What did I do last summer?', 'between 2022-06 and 2022-08'],
    ['What did I do this summer?', 'between 2023-06 and 2023-08'],
    ['What did I do last winter?', 'between 2022-12 and 2023-02'],
  ];
  it.each(cases)('%s → %s', (question, time) => {
    expect(timeOf(question, askedOn)).toBe(time);
  });

  it('crosses month and year boundaries', () => {
    // Tuesday 2 January 2024: last week is the last week of 2023.
    expect(timeOf('What did I buy last week?', '2024-01-02')).toBe(
      'between 2023-12-25 and 2023-12-31',
    );
    expect(timeOf('What did I read last month?', '2024-01-15')).toBe('on 2023-12');
    expect(timeOf('What happened yesterday?', '2024-01-01')).toBe('on 2023-12-31');
    expect(timeOf('What happened yesterday?', '2024-03-01')).toBe('on 2024-02-29');
    expect(timeOf('What did I do in December?', '2024-01-10')).toBe('on 2023-12');
    expect(timeOf('What did I do last winter?', '2024-01-10')).toBe('between 2022-12 and 2023-02');
    expect(timeOf('What did I do this winter?', '2024-01-10')).toBe('between 2023-12 and 2024-02');
    expect(timeOf('What did I learn two months ago?', '2024-01-31')).toBe('around 2023-11');
    expect(timeOf('What did I do the week before 3 January 2024?', null)).toBe(
      'between 2023-12-27 and 2024-01-02',
    );
  });

  it('without the question date, says so instead of guessing', () => {
    const parsed = parseQuestion('What did I buy last week?', { askedOn: null });
    expect(parsed.analysis.dimension.time).toBe('');
    expect(parsed.timePhrase).toBe('last week');
    expect(parsed.notes).toHaveLength(1);
  });
});
