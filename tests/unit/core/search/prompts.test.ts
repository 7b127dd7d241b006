import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  buildAnswerPrompt,
  buildQueryAnalysisPrompt,
  citationInstruction,
  citedAnswerPromptTemplate,
  parseAnswerText,
  parseQueryAnalysis,
  QueryAnalysisError,
  queryAnalysisJsonSchema,
  queryAnalysisPromptTemplate,
  referenceAnswerPromptTemplate,
} from '../../../../src/core/search';
import { parseNaiveIso } from '../../../../src/core/time/localTime';

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, '../../../fixtures/search', name), 'utf8');

describe('the reference prompts', () => {
  it("are the reference's bytes", () => {
    expect(queryAnalysisPromptTemplate).toBe(fixture('reference-query-analysis-prompt.txt'));
    expect(referenceAnswerPromptTemplate).toBe(fixture('reference-qa-prompt.txt'));
  });

  it('fill the question and its date as the reference does', () => {
    const prompt = buildQueryAnalysisPrompt('  When did I go to Paris? ', '2023/05/20 (Sat)');
    expect(
      prompt.endsWith('Question Date:\n2023/05/20 (Sat)\n\nQuestion:\nWhen did I go to Paris?\n'),
    ).toBe(true);
    expect(prompt.startsWith('\nYou are a memory query parser.')).toBe(true);
    // A question holding "$&" or the placeholder itself is put in as written.
    expect(buildQueryAnalysisPrompt('cost $& {question}', '')).toContain(
      'Question:\ncost $& {question}\n',
    );
  });
});

describe('query analysis schema', () => {
  it("has every key the prompt's output format asks for, in its order", () => {
    const format = /== Output Format ==\n\n(\{[\s\S]*?\n\})\n/.exec(
      queryAnalysisPromptTemplate,
    )![1]!;
    const asked = JSON.parse(format) as Record<string, unknown>;
    const schema = queryAnalysisJsonSchema as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(Object.keys(asked));
    expect(schema.required).toEqual(Object.keys(asked));
    expect(Object.keys(schema.properties.dimension!.properties!)).toEqual(
      Object.keys(asked.dimension as Record<string, unknown>),
    );
  });

  it('reads a model answer, in a fence or with words around it', () => {
    const answer = {
      query_anchor: ' When did the user go to Paris? ',
      need_assistant_context: false,
      dimension: {
        target_memory_type: ['episodic'],
        keywords: ['Paris', ' '],
        time: 'after 2023-05-01',
        location: '',
      },
      answer_dim: 'time',
    };
    const parsed = parseQueryAnalysis(`Sure! \`\`\`json\n${JSON.stringify(answer)}\n\`\`\` done`);
    expect(parsed.query_anchor).toBe('When did the user go to Paris?');
    expect(parsed.dimension.keywords).toEqual(['Paris']);
    expect(parseQueryAnalysis(`\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``).answer_dim).toBe(
      'time',
    );
  });

  it('refuses an answer off the schema with a message naming the field', () => {
    expect(() => parseQueryAnalysis('I think the user went to Paris.')).toThrow(QueryAnalysisError);
    expect(() => parseQueryAnalysis('I think the user went to Paris.')).toThrow(/not JSON/);
    const wrongType = JSON.stringify({
      query_anchor: 'x',
      need_assistant_context: 'no',
      dimension: { target_memory_type: ['event'], keywords: [], time: '', location: '' },
      answer_dim: 'content',
    });
    expect(() => parseQueryAnalysis(wrongType)).toThrow(
      /need_assistant_context.*target_memory_type\[0\]|target_memory_type\[0\].*need_assistant_context/s,
    );
    expect(() => parseQueryAnalysis('{"query_anchor": "x"}')).toThrow(/dimension/);
  });
});

describe('answer prompt', () => {
  const memories = [
    {
      content: 'The user went to Paris.',
      reason: '',
      purpose: "to see the Musée d'Orsay",
      messageTimestamp: parseNaiveIso('2023-08-15T09:14:40')!,
    },
    {
      content: 'The user likes croissants.',
      reason: 'buttery',
      purpose: '',
      messageTimestamp: parseNaiveIso('2023-08-15T09:14:40.5')!,
    },
  ];

  it('the reference style is the reference prompt filled in', () => {
    const prompt = buildAnswerPrompt({
      question: 'Where did I go?',
      questionDate: '2023/09/10 (Sun)',
      memories,
      style: 'reference',
    });
    expect(prompt).toBe(
      referenceAnswerPromptTemplate
        .replace(
          '{{retrieved_memories}}',
          "[1]\nsource_time: 2023-08-15 09:14:40\ncontent: The user went to Paris.\npurpose: to see the Musée d'Orsay\n\n" +
            '[2]\nsource_time: 2023-08-15 09:14:40.500000\ncontent: The user likes croissants.\nreason: buttery',
        )
        .replace('{{query}}', 'Where did I go?')
        .replace('{{question_date}}', '2023/09/10 (Sun)'),
    );
  });

  it('the cited style adds exactly one instruction', () => {
    expect(citedAnswerPromptTemplate.replace(citationInstruction, '')).toBe(
      referenceAnswerPromptTemplate,
    );
    const prompt = buildAnswerPrompt({
      question: 'Where did I go?',
      questionDate: '',
      memories: [],
    });
    expect(prompt).toContain(citationInstruction);
    expect(prompt).toContain('[No retrieved memories]');
    expect(prompt).toContain('Question Date:[unknown]');
  });

  it('reads the answer and its citations, flagging numbers that name no memory', () => {
    const parsed = parseAnswerText(
      'Reasoning: Memory [2] and [1, 3] say so.\nAnswer: Paris [1][7].',
      3,
    );
    expect(parsed).toEqual({
      reasoning: 'Memory [2] and [1, 3] say so.',
      answer: 'Paris [1][7].',
      citations: [1, 2, 3],
      unknownCitations: [7],
    });
    expect(parseAnswerText('Just Paris.', 2)).toEqual({
      reasoning: '',
      answer: 'Just Paris.',
      citations: [],
      unknownCitations: [],
    });
  });
});
