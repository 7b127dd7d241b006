import { beforeAll, describe, expect, it } from 'vitest';

import { parseQueryAnalysis, queryAnalysisJsonSchema } from '../../../../src/core/search';
import { buildChatRequest } from '../../../../src/engine/webllm/chatRequest';
import { compileQwen3Schema, type Qwen3SchemaGrammar } from '../../../support/xgrammar';

const analysis = {
  query_anchor: 'When did the user go to Paris?',
  need_assistant_context: false,
  dimension: {
    target_memory_type: ['episodic'],
    keywords: ['Paris'],
    time: 'after 2023-05-01',
    location: 'Paris',
  },
  answer_dim: 'time',
};

/**
 * WebLLM compiles the `schema` string of a `json_object` response format with xgrammar: the
 * query analysis' schema, exactly as the answer model sends it, must compile and hold the model to
 * the analysis the prompt asks for.
 */
describe('the query analysis through WebLLM’s grammar, with the Qwen3 vocabulary', () => {
  let grammar: Qwen3SchemaGrammar;

  beforeAll(async () => {
    const request = buildChatRequest('prompt', {
      maxTokens: 1024,
      jsonSchema: queryAnalysisJsonSchema,
      thinkingOff: true,
    });
    expect(request.response_format?.type).toBe('json_object');
    grammar = await compileQwen3Schema(request.response_format!.schema!);
  }, 120_000);

  const variant = (change: (value: typeof analysis) => void): string => {
    const copy = structuredClone(analysis);
    change(copy);
    return JSON.stringify(copy);
  };

  it.each([
    ['an analysis, compact', JSON.stringify(analysis), true],
    [
      'an analysis with a non-ASCII anchor',
      variant((v) => (v.query_anchor = 'Wann war ich in München?')),
      true,
    ],
    ['an answer_dim outside the list', variant((v) => (v.answer_dim = 'date')), false],
    [
      'a memory type outside the list',
      variant((v) => (v.dimension.target_memory_type = ['event'])),
      false,
    ],
    [
      'a missing location',
      variant((v) => delete (v.dimension as Partial<typeof v.dimension>).location),
      false,
    ],
    ['prose instead of JSON', 'The user asks about Paris.', false],
  ])('%s: the grammar and the parser agree', async (_name, text, valid) => {
    expect(await grammar.allows(text)).toBe(valid);
    const parses = (() => {
      try {
        parseQueryAnalysis(text);
        return true;
      } catch {
        return false;
      }
    })();
    expect(parses).toBe(valid);
  });
});
