import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import type * as WebLlm from '@mlc-ai/web-llm';

/**
 * WebLLM's bundle keeps its conversation template, chat pipeline and most error classes private.
 * To test against that real code (not a re-implementation), this loads a copy of the pinned
 * bundle with one extra `export` line naming those internals. Nothing else changes.
 */
const internalNames = [
  'Conversation',
  'getConversation',
  'getConversationFromChatCompletionRequest',
  'LLMChatPipeline',
  'DeviceLostError',
  'WebGPUNotAvailableError',
  'WebGPUNotFoundError',
  'ShaderF16SupportError',
  'FeatureSupportError',
  'ContextWindowSizeExceededError',
  'MissingModelWasmError',
  'UnsupportedTokenizerFilesError',
  'ModelNotFoundError',
] as const;

type Internals = Record<(typeof internalNames)[number], unknown> & typeof WebLlm;

let cached: Promise<Internals> | null = null;

export function loadWebLlmInternals(): Promise<Internals> {
  cached ??= (async () => {
    const root = path.resolve(__dirname, '../..');
    const bundle = path.join(root, 'node_modules/@mlc-ai/web-llm/lib/index.js');
    const version = (
      JSON.parse(
        readFileSync(path.join(root, 'node_modules/@mlc-ai/web-llm/package.json'), 'utf8'),
      ) as { version: string }
    ).version;
    const dir = path.join(root, 'node_modules/.cache/dimmem-webllm-internals');
    const copy = path.join(dir, `web-llm-${version}.mjs`);
    if (!existsSync(copy)) {
      mkdirSync(dir, { recursive: true });
      const source = readFileSync(bundle, 'utf8');
      writeFileSync(copy, `${source}\nexport { ${internalNames.join(', ')} };\n`);
    }
    return (await import(/* @vite-ignore */ pathToFileURL(copy).href)) as Internals;
  })();
  return cached;
}
