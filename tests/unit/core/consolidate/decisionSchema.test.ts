import { beforeAll, describe, expect, it } from 'vitest';

import {
  buildConsolidationPrompt,
  consolidationDecisionJsonSchemaText,
  consolidationDecisionSchema,
  consolidationPromptTemplate,
  parseConsolidationDecision,
} from '../../../../src/core/consolidate';
import { compileQwen3Schema, type Qwen3SchemaGrammar } from '../../../support/xgrammar';
import { fixtureMemories } from './fixtureMemories';

const decision = {
  decision: 'SUPERSEDE',
  merged_content: 'The user lives in Lisbon.',
  merged_dimension: {
    memory_type: 'fact',
    time: '2023-05-10',
    keywords: ['Lisbon', 'home'],
    reason: '',
    purpose: '',
  },
  reasoning: 'Same fact (where the user lives) with a new value; the newer memory wins.',
};

describe('the decision prompt and its schema', () => {
  it('holds every key the prompt’s output format asks for, in its order', () => {
    const format = consolidationPromptTemplate.split('\n').at(-1)!.replace('[...]', '[]');
    const asked = JSON.parse(format) as Record<string, unknown>;
    const shape = consolidationDecisionSchema.shape;
    expect(Object.keys(shape)).toEqual(Object.keys(asked));
    expect(Object.keys(shape.merged_dimension.shape)).toEqual(
      Object.keys(asked.merged_dimension as object),
    );
    expect(shape.decision.options).toEqual(
      (asked.decision as string).split('|') as typeof shape.decision.options,
    );
  });

  it('fills memory A with the newer memory and B with the older, as the reference does', () => {
    const memories = fixtureMemories();
    const older = memories.find((m) => m.id === 'mem-berlin-1')!;
    const newer = memories.find((m) => m.id === 'mem-lisbon')!;
    const prompt = buildConsolidationPrompt(newer, { ...older, content: 'Lives in {content_new}' });
    expect(prompt).toContain(
      'Memory A (newer, recorded at 2023-05-14T10:00:00):\n  Content: The user lives in Lisbon.\n  Type: fact\n  Time: 2023-05-10\n  Keywords: home, lisbon\n',
    );
    // B has no time of its own: its source time stands in. Braces in a text stay as written.
    expect(prompt).toContain(
      'Memory B (older, recorded at 2023-03-02T09:00:00):\n  Content: Lives in {content_new}\n  Type: fact\n  Time: 2023-03-02T09:00:00\n  Keywords: berlin, home\n  Reason: \n  Purpose: \n',
    );
    expect(prompt.match(/\{\w+_(new|old)\}/g)).toEqual(['{content_new}']);
  });

  it('reads a decision, with or without a code fence; an answer off the schema is an error', () => {
    expect(parseConsolidationDecision(JSON.stringify(decision))).toEqual(decision);
    expect(parseConsolidationDecision('```json\n' + JSON.stringify(decision) + '\n```')).toEqual(
      decision,
    );
    expect(() => parseConsolidationDecision('I would MERGE them.')).toThrow(
      /^the decision is not JSON: "I would MERGE them\."$/,
    );
    expect(() =>
      parseConsolidationDecision(JSON.stringify({ ...decision, decision: 'DELETE' })),
    ).toThrow(/decision: expected one of MERGE\|SUPERSEDE\|KEEP_BOTH, got "DELETE"/);
    const { reasoning: _reasoning, ...withoutReasoning } = decision;
    expect(() => parseConsolidationDecision(JSON.stringify(withoutReasoning))).toThrow(
      /reasoning: missing/,
    );
  });

  it('reads the texts a model wrote without the spaces around them, and drops empty keywords', () => {
    const padded = {
      ...decision,
      merged_content: '  The user lives in Lisbon.\n',
      merged_dimension: {
        ...decision.merged_dimension,
        time: ' 2023-05-10 ',
        keywords: [' Lisbon', '  ', 'home '],
        reason: ' ',
        purpose: '\t',
      },
      reasoning: ` ${decision.reasoning} `,
    };
    expect(parseConsolidationDecision(JSON.stringify(padded))).toEqual(decision);
  });
});

describe('the decision schema in web-xgrammar with the Qwen3 vocabulary', () => {
  let grammar: Qwen3SchemaGrammar;

  beforeAll(async () => {
    grammar = await compileQwen3Schema(consolidationDecisionJsonSchemaText);
  }, 120_000);

  const variant = (change: (value: Record<string, unknown>) => void): string => {
    const copy = structuredClone(decision) as unknown as Record<string, unknown>;
    change(copy);
    return JSON.stringify(copy);
  };
  const dimension = (value: Record<string, unknown>) =>
    value.merged_dimension as Record<string, unknown>;

  const cases: [string, string, boolean][] = [
    ['a decision, compact', JSON.stringify(decision), true],
    ['a decision, pretty', JSON.stringify(decision, null, 2), true],
    [
      'KEEP_BOTH with empty text and Unicode reasoning',
      variant((v) => {
        v.decision = 'KEEP_BOTH';
        v.merged_content = '';
        v.reasoning = 'Zwei verschiedene Ausflüge 🥾 "a" \\ {b}';
      }),
      true,
    ],
    ['a decision outside the three', variant((v) => (v.decision = 'DELETE')), false],
    ['a missing reasoning', variant((v) => delete v.reasoning), false],
    ['a location in merged_dimension', variant((v) => (dimension(v).location = 'Lisbon')), false],
    ['memory_type outside the enum', variant((v) => (dimension(v).memory_type = 'event')), false],
    ['keywords as a string', variant((v) => (dimension(v).keywords = 'Lisbon')), false],
    [
      'reasoning written first',
      variant((v) => {
        const { reasoning, ...rest } = v;
        for (const key of Object.keys(v)) delete v[key];
        Object.assign(v, { reasoning }, rest);
      }),
      false,
    ],
  ];

  it.each(cases)('%s: grammar and zod agree (except on key order)', async (name, text, valid) => {
    const zodValid = consolidationDecisionSchema.safeParse(JSON.parse(text)).success;
    // zod does not check key order; the grammar fixes it to the prompt's.
    expect(zodValid).toBe(name === 'reasoning written first' ? true : valid);
    expect(await grammar.allows(text)).toBe(valid);
  });
});
