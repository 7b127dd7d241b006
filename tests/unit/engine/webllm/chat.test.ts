import type { ChatCompletionChunk, ChatCompletionRequestStreaming } from '@mlc-ai/web-llm';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';

import { queryAnalysisJsonSchema } from '../../../../src/core/search';
import {
  answerModelRecord,
  qwen3AnswerModelId,
  webLlmAnswerOptions,
} from '../../../../src/engine/webllm/answerModelList';
import { withoutThinking } from '../../../../src/engine/webllm/chatRequest';
import { completeChat } from '../../../../src/engine/webllm/webLlmChat';
import { WebLlmEngine } from '../../../../src/engine/webllm/webLlmEngine';
import { createFakeModelWorker, emptyBackend } from '../../../support/engineFakeWorker';

function chunk(content: string, finish: string | null = null): ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  } as ChatCompletionChunk;
}

/** WebLLM's client and our worker handler, with a fake GPU engine behind them. */
async function loaded(modelId: string) {
  const backend = emptyBackend();
  const record = answerModelRecord(prebuiltAppConfig, modelId);
  const fake = createFakeModelWorker(backend);
  const engine = new WebLlmEngine({
    records: () => [record],
    prepare: async () => ({ weightBytes: null }),
    createWorker: () => fake.worker,
  });
  await engine.load(modelId, () => undefined);
  return { engine, backend, record };
}

describe('a WebLLM model as a general instruction model', () => {
  it('asks Qwen3-4B with thinking off, greedy, the analysis constrained to its schema', async () => {
    const modelId = qwen3AnswerModelId('q4f32_1');
    const { engine, backend, record } = await loaded(modelId);
    // The extractor's context and Qwen3's own format without a system turn.
    expect(record.overrides).toMatchObject({
      context_window_size: 8192,
      conv_config: { system_message: '', render_empty_system_message: false },
    });
    expect(record.model_lib).toMatch(/Qwen3-4B-q4f32_1_cs1k-webgpu\.wasm$/);
    backend.chunks = [chunk('{"query_anchor":'), chunk(' "x"}', 'stop')];
    const result = await completeChat(engine, 'ANALYSE THIS', {
      maxTokens: 1024,
      jsonSchema: queryAnalysisJsonSchema,
    });
    expect(result.text).toBe('{"query_anchor": "x"}');
    const expected: ChatCompletionRequestStreaming = {
      messages: [{ role: 'user', content: 'ANALYSE THIS' }],
      extra_body: { enable_thinking: false },
      temperature: 0,
      max_tokens: 1024,
      response_format: { type: 'json_object', schema: JSON.stringify(queryAnalysisJsonSchema) },
      stream: true,
      stream_options: { include_usage: true },
    };
    expect(backend.requests).toEqual([expected]);

    // An answer: no response format, streamed as it grows.
    backend.chunks = [chunk('Reasoning: …\n'), chunk('Answer: In June [1].', 'stop')];
    const seen: string[] = [];
    await completeChat(engine, 'ANSWER THIS', { maxTokens: 2048, onText: (t) => seen.push(t) });
    expect(backend.requests[1]).not.toHaveProperty('response_format');
    expect(backend.requests[1]!.extra_body).toEqual({ enable_thinking: false });
    expect(seen).toEqual(['Reasoning: …\n', 'Reasoning: …\nAnswer: In June [1].']);
  });

  it('does not send Qwen3’s switch to other models, and hides a think block they write', async () => {
    const modelId = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
    const { engine, backend, record } = await loaded(modelId);
    // Other models load as WebLLM lists them.
    expect(record).toEqual(prebuiltAppConfig.model_list.find((r) => r.model_id === modelId));
    backend.chunks = [
      chunk('<think>\nHmm, Paris'),
      chunk('…</think>\n\n'),
      chunk('Answer: 2021', 'stop'),
    ];
    const seen: string[] = [];
    const result = await completeChat(engine, 'Q', { maxTokens: 50, onText: (t) => seen.push(t) });
    expect(backend.requests[0]).not.toHaveProperty('extra_body');
    expect(result.text).toBe('Answer: 2021');
    expect(seen).toEqual(['', '', 'Answer: 2021']);
    expect(withoutThinking('Answer: <think> stays when not first')).toBe(
      'Answer: <think> stays when not first',
    );
  });

  it('lists WebLLM’s text models (no embedding or vision models) with their GPU memory', () => {
    const options = webLlmAnswerOptions(prebuiltAppConfig);
    const ids = options.map((option) => option.id);
    expect(ids).toContain('Qwen3-4B-q4f16_1-MLC');
    expect(ids).toContain('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(ids.some((id) => id.includes('embed') || id.includes('vision'))).toBe(false);
    expect(options.find((o) => o.id === 'Qwen3-4B-q4f16_1-MLC')).toMatchObject({
      vramMB: 3431.59,
      needsF16: true,
    });
    expect(options.find((o) => o.id === 'Qwen3-4B-q4f32_1-MLC')!.needsF16).toBe(false);
    expect(() => answerModelRecord(prebuiltAppConfig, 'No-Such-Model')).toThrow(
      /WebLLM's prebuilt model list has no No-Such-Model/,
    );
  });
});
