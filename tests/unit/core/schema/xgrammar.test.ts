import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { CompiledGrammar, Grammar } from '@mlc-ai/web-xgrammar';
import { beforeAll, describe, expect, it } from 'vitest';

import { answerSchema } from '../../../../src/core/schema/answer';
import { answerJsonSchemaText } from '../../../../src/core/schema/jsonSchema';
import {
  compileQwen3Schema,
  QWEN3_LOGITS_VOCAB_SIZE,
  qwen3TokenizerInfo,
  type Qwen3SchemaGrammar,
  type Qwen3Tokenizer,
  type XgrammarModule,
} from '../../../support/xgrammar';

/**
 * The derived JSON Schema at the real boundary: compiled by `@mlc-ai/web-xgrammar` (the grammar
 * engine WebLLM runs) exactly as WebLLM compiles `response_format.schema`, over the real Qwen3
 * vocabulary, then fed the card's answer token by token as the model would emit it.
 */

const replayText = readFileSync(
  path.resolve(__dirname, '../../../fixtures/seed/replay-window0.json'),
  'utf8',
);
// The recorded file ends with a newline; nothing may follow the root object (see below).
const prettyAnswer = replayText.trimEnd();
const answer = JSON.parse(replayText) as { memories: Record<string, unknown>[] };
const compactAnswer = JSON.stringify(answer);

let xgr: XgrammarModule;
let tokenizer: Qwen3Tokenizer;
let stopTokenIds: number[];
let compiled: CompiledGrammar;
/** Whether constrained decoding could produce `text` and then stop with `<|im_end|>`. */
let grammarAllows: Qwen3SchemaGrammar['allows'];
let grammar: Grammar;

beforeAll(async () => {
  ({
    xgr,
    tokenizer,
    stopTokenIds,
    compiled,
    allows: grammarAllows,
  } = await compileQwen3Schema(answerJsonSchemaText));
  grammar = await xgr.Grammar.fromJSONSchema(answerJsonSchemaText);
});

const tokenIds = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false });

/** Token ids the matcher allows next. */
async function allowedNext(matcher: Awaited<ReturnType<typeof newMatcher>>): Promise<number[]> {
  const mask = await matcher.getNextTokenBitmask();
  const allowed: number[] = [];
  for (let id = 0; id < QWEN3_LOGITS_VOCAB_SIZE; id += 1) {
    if (((mask[id >> 5]! >>> (id & 31)) & 1) === 1) allowed.push(id);
  }
  return allowed;
}

const newMatcher = () => xgr.GrammarMatcher.createGrammarMatcher(compiled);

/** The card's answer with its first memory changed. */
function withFirstMemory(
  change: (memory: Record<string, unknown>, dimension: Record<string, unknown>) => void,
): string {
  const copy = structuredClone(answer);
  const first = copy.memories[0]!;
  change(first, first.dimension as Record<string, unknown>);
  return JSON.stringify(copy, null, 2);
}

describe('the answer grammar in web-xgrammar with the Qwen3 vocabulary', () => {
  it('builds the tokenizer info WebLLM builds for Qwen3-4B', async () => {
    expect(tokenizer.model.vocab).toHaveLength(151_669);
    expect(stopTokenIds).toEqual([151_643, 151_645]);
    const info = await qwen3TokenizerInfo(xgr, { tokens: tokenizer.model.vocab, stopTokenIds });
    expect(info.getVocabSize()).toBe(QWEN3_LOGITS_VOCAB_SIZE);
    info.dispose();
  });

  it("accepts the card's answer token by token, pretty and compact, then lets it stop", async () => {
    expect(await grammarAllows(prettyAnswer)).toBe(true);
    expect(await grammarAllows(compactAnswer)).toBe(true);
  });

  it('makes the answer start with "{" and allows only a stop token once the object closes', async () => {
    const matcher = await newMatcher();
    const first = (await allowedNext(matcher)).map((id) => tokenizer.model.vocab[id]!);
    expect(first.length).toBeGreaterThan(0);
    // Byte-level tokens: `Ċ` is a newline. No prose, no code fence, no think block can start.
    for (const token of first) expect(token).toMatch(/^\{/);

    for (const id of tokenIds(prettyAnswer)) expect(matcher.acceptToken(id)).toBe(true);
    expect(await allowedNext(matcher)).toEqual(stopTokenIds);
    matcher.dispose();
  });

  it('rejects a trailing newline: nothing may follow the root object', async () => {
    expect(await grammarAllows(prettyAnswer + '\n')).toBe(false);
    expect(await xgr.Testings.isGrammarAcceptString(grammar, prettyAnswer + '\n')).toBe(false);
  });

  it('agrees with Testings.isGrammarAcceptString on the uncompiled grammar', async () => {
    expect(await xgr.Testings.isGrammarAcceptString(grammar, prettyAnswer)).toBe(true);
    expect(await xgr.Testings.isGrammarAcceptString(grammar, compactAnswer)).toBe(true);
    const feeling = withFirstMemory((_, dimension) => (dimension.memory_type = 'feeling'));
    expect(await xgr.Testings.isGrammarAcceptString(grammar, feeling)).toBe(false);
  });

  // Each case: what the grammar must decide, which must also be what zod decides.
  const cases: [string, string, boolean][] = [
    ['no memories', '{"memories": []}', true],
    [
      'no keywords, Unicode and escapes',
      withFirstMemory((memory, dimension) => {
        memory.content = 'Café 🍝 "quoted" \\ {braces}';
        dimension.keywords = [];
      }),
      true,
    ],
    ['a large source_id', withFirstMemory((memory) => (memory.source_id = 123)), true],
    ['memory_type outside the enum', withFirstMemory((_, d) => (d.memory_type = 'feeling')), false],
    ['an extra key in a memory', withFirstMemory((memory) => (memory.confidence = 0.9)), false],
    [
      'an extra key in dimension',
      withFirstMemory((_, dimension) => (dimension.mood = 'happy')),
      false,
    ],
    ['a missing key', withFirstMemory((_, dimension) => delete dimension.purpose), false],
    ['a missing dimension', withFirstMemory((memory) => delete memory.dimension), false],
    ['source_id 0', withFirstMemory((memory) => (memory.source_id = 0)), false],
    ['source_id 1.5', withFirstMemory((memory) => (memory.source_id = 1.5)), false],
    ['source_id as a string', withFirstMemory((memory) => (memory.source_id = '1')), false],
    [
      'a keyword that is not a string',
      withFirstMemory((_, d) => (d.keywords = ['Paris', 7])),
      false,
    ],
    ['time as null', withFirstMemory((_, dimension) => (dimension.time = null)), false],
    ['an extra key at the top', JSON.stringify({ ...answer, summary: 'x' }), false],
  ];

  it.each(cases)('%s: grammar and zod agree', async (_name, text, valid) => {
    expect(answerSchema.safeParse(JSON.parse(text)).success).toBe(valid);
    expect(await grammarAllows(text)).toBe(valid);
  });

  it('also fixes key order to the schema order (the card order), which zod does not check', async () => {
    const reordered = withFirstMemory((memory) => {
      const { source_id, ...rest } = memory;
      for (const key of Object.keys(memory)) delete memory[key];
      Object.assign(memory, rest, { source_id });
    });
    expect(answerSchema.safeParse(JSON.parse(reordered)).success).toBe(true);
    expect(await grammarAllows(reordered)).toBe(false);
  });
});
