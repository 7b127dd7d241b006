import { readFileSync } from 'node:fs';
import path from 'node:path';

import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { ChatOptions } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';

import { buildCatalog } from '../../../../src/engine/catalog/modelCatalog';
import { buildExtractionRequest } from '../../../../src/engine/webllm/extractionRequest';
import { loadWebLlmInternals } from '../../../support/engineWebLlmInternals';

/** The parts of a chat config this test reads; WebLLM's `ChatConfig` type is not exported. */
type ChatConfig = ChatOptions & { conv_template: unknown; conv_config?: unknown };

const root = path.resolve(__dirname, '../../../..');
const mlcChatConfig = JSON.parse(
  readFileSync(path.join(root, 'tests/support/engineQwen3ChatConfig.json'), 'utf8'),
) as ChatConfig;
const prompt = readFileSync(path.resolve(root, 'tests/fixtures/seed/prompt-window0.txt'), 'utf8');

const stopBeforeGpu = new Error('stop before the GPU');

/**
 * Runs WebLLM's own `MLCEngine.chatCompletion` on our request, with a chat pipeline whose prefill
 * is WebLLM's own `forwardPrefill` (conversation template, `enable_thinking` handling) up to the
 * point where it would hand tokens to the GPU. Returns the text the model would read.
 */
async function textWebLlmSends(chatConfig: ChatConfig): Promise<string> {
  const internals = await loadWebLlmInternals();
  const Pipeline = internals.LLMChatPipeline as {
    prototype: Record<string, (...args: unknown[]) => Promise<unknown>>;
  };
  const engine = new internals.MLCEngine() as unknown as {
    loadedModelIdToPipeline: Map<string, unknown>;
    loadedModelIdToChatConfig: Map<string, unknown>;
    loadedModelIdToModelType: Map<string, unknown>;
    loadedModelIdToLock: Map<string, unknown>;
    chatCompletion: (request: unknown) => Promise<AsyncIterable<unknown>>;
  };
  const modelId = 'DimMem-4B-q4f16_1-MLC';
  type Conv = { getPromptArray: () => string[] };
  // A real LLMChatPipeline object (WebLLM checks the class) with only its GPU-facing state faked.
  const pipeline = Object.assign(Object.create(Pipeline.prototype) as object, {
    // As LLMChatPipeline's constructor starts it: an empty conversation of the config's template.
    conversation: (internals.getConversation as (t: unknown, c: unknown) => Conv)(
      chatConfig.conv_template,
      chatConfig.conv_config,
    ) as Conv | null,
    tokenizer: {
      encode: (text: string) => Int32Array.from([...text].map((c) => c.codePointAt(0) ?? 0)),
    },
    outputIds: [] as number[],
    tvm: {
      beginScope: () => {
        throw stopBeforeGpu;
      },
      endScope: () => {},
    },
    getConversationObject(this: { conversation: Conv | null }) {
      return this.conversation;
    },
    getFinishReason: () => undefined,
    resetChat: () => {},
    setConversation(this: { conversation: Conv | null }, next: Conv) {
      this.conversation = next;
    },
    // Prefill is WebLLM's own `forwardPrefill`: template, user turn, thinking header.
    prefillStep(this: unknown, ...args: unknown[]) {
      return Pipeline.prototype.forwardPrefill?.apply(this, args);
    },
  });
  engine.loadedModelIdToPipeline.set(modelId, pipeline);
  engine.loadedModelIdToChatConfig.set(modelId, chatConfig);
  engine.loadedModelIdToModelType.set(modelId, 0);
  engine.loadedModelIdToLock.set(modelId, { acquire: async () => {}, release: async () => {} });

  const stream = await engine.chatCompletion(buildExtractionRequest(prompt, 3000));
  await expect(
    (async () => {
      for await (const _chunk of stream) {
        // Prefill stops before the GPU; no chunk is expected.
      }
    })(),
  ).rejects.toBe(stopBeforeGpu);
  const conversation = (pipeline as { conversation: Conv | null }).conversation;
  if (!conversation) throw new Error('WebLLM built no conversation');
  return conversation.getPromptArray().join('');
}

describe('the text WebLLM sends for one window', () => {
  it('is the Qwen3 training format: one user turn and an empty think block', async () => {
    const dimmem = buildCatalog({
      prebuilt: prebuiltAppConfig,
      buildDefaultUrl: 'https://x.test/',
    })[0];
    // WebLLM's own merge: mlc-chat-config.json, then the record's overrides.
    const chatConfig = { ...mlcChatConfig, ...dimmem?.record.overrides } as ChatConfig;
    const text = await textWebLlmSends(chatConfig);
    expect(text).toBe(
      `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n`,
    );
  });

  it('would carry a system turn the model never saw without our conversation override', async () => {
    const text = await textWebLlmSends(mlcChatConfig);
    expect(text.startsWith('<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n')).toBe(
      true,
    );
  });
});
