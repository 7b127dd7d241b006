import type {
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  InitProgressReport,
} from '@mlc-ai/web-llm';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { answerJsonSchemaText } from '../../../../src/core/schema/jsonSchema';
import { EngineError } from '../../../../src/engine/errors/engineError';
import { WebLlmEngine } from '../../../../src/engine/webllm/webLlmEngine';

/** The fake WebLLM module: what the engine asked of it, and what it streams back. */
const fake = vi.hoisted(() => ({
  created: [] as { modelId: string; engineConfig: unknown }[],
  requests: [] as unknown[],
  interrupts: 0,
  reports: [] as InitProgressReport[],
  chunks: [] as unknown[],
  failWith: null as unknown,
}));

vi.mock('@mlc-ai/web-llm', () => ({
  CreateWebWorkerMLCEngine: async (
    _worker: unknown,
    modelId: string,
    engineConfig: { initProgressCallback?: (report: InitProgressReport) => void },
  ) => {
    fake.created.push({ modelId, engineConfig });
    for (const report of fake.reports) engineConfig.initProgressCallback?.(report);
    if (fake.failWith) throw fake.failWith;
    return {
      chat: {
        completions: {
          create: async (request: unknown) => {
            fake.requests.push(request);
            return (async function* () {
              for (const chunk of fake.chunks) yield chunk;
            })();
          },
        },
      },
      interruptGenerate: () => {
        fake.interrupts += 1;
      },
      unload: async () => {},
    };
  },
}));

const record = {
  model: 'https://huggingface.co/someone/DimMem-4B-q4f16_1-MLC',
  model_id: 'DimMem-4B-q4f16_1-MLC',
  model_lib: 'https://example.test/Qwen3-4B-q4f16_1_cs1k-webgpu.wasm',
};

function chunk(
  content: string,
  finish: string | null = null,
  usage?: unknown,
): ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: record.model_id,
    choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  } as ChatCompletionChunk;
}

function usage() {
  return {
    prompt_tokens: 1234,
    completion_tokens: 3,
    total_tokens: 1237,
    extra: {
      e2e_latency_s: 1,
      prefill_tokens_per_s: 812.5,
      decode_tokens_per_s: 31.25,
      time_to_first_token_s: 0.5,
      time_per_output_token_s: 0.03,
    },
  };
}

let terminated = 0;
function engine() {
  return new WebLlmEngine({
    records: () => [record],
    prepare: async () => ({ weightBytes: 2_000_000_000 }),
    createWorker: () =>
      ({
        terminate: () => {
          terminated += 1;
        },
        addEventListener: () => {},
        removeEventListener: () => {},
      }) as unknown as Worker,
    now: (() => {
      let t = 0;
      return () => (t += 500);
    })(),
  });
}

beforeEach(() => {
  fake.created = [];
  fake.requests = [];
  fake.interrupts = 0;
  fake.reports = [];
  fake.chunks = [];
  fake.failWith = null;
  terminated = 0;
});

describe('WebLLM engine request', () => {
  it('sends exactly the request the model was trained for', async () => {
    const subject = engine();
    await subject.load(record.model_id, () => {});
    fake.chunks = [
      chunk('{"memories"'),
      chunk(':[]}', 'stop'),
      { ...chunk(''), choices: [], usage: usage() },
    ];
    await subject.extract('PROMPT TEXT', { maxTokens: 2345 });

    const expected: ChatCompletionRequestStreaming = {
      messages: [{ role: 'user', content: 'PROMPT TEXT' }],
      extra_body: { enable_thinking: false },
      temperature: 0,
      max_tokens: 2345,
      response_format: { type: 'json_object', schema: answerJsonSchemaText },
      stream: true,
      stream_options: { include_usage: true },
    };
    expect(fake.requests).toEqual([expected]);
    // The schema goes as the derived JSON Schema text, not as an object, and no structural_tag.
    const sent = fake.requests[0] as ChatCompletionRequestStreaming;
    expect(typeof sent.response_format?.schema).toBe('string');
    expect(JSON.parse(sent.response_format?.schema ?? '')).toMatchObject({ type: 'object' });
    expect(Object.keys(sent).sort()).toEqual(Object.keys(expected).sort());
  });

  it('hands WebLLM the catalog record and loads it by id', async () => {
    await engine().load(record.model_id, () => {});
    expect(fake.created).toHaveLength(1);
    expect(fake.created[0]?.modelId).toBe(record.model_id);
    expect(fake.created[0]?.engineConfig).toMatchObject({ appConfig: { model_list: [record] } });
  });

  it('streams the text, then reports usage and prefill/decode speed', async () => {
    const subject = engine();
    await subject.load(record.model_id, () => {});
    fake.chunks = [
      chunk('{"mem'),
      chunk('ories":[]}', 'stop'),
      { ...chunk(''), choices: [], usage: usage() },
    ];
    const seen: string[] = [];
    const result = await subject.extract('P', { maxTokens: 10, onText: (t) => seen.push(t) });
    expect(seen).toEqual(['{"mem', '{"memories":[]}']);
    expect(result).toEqual({
      text: '{"memories":[]}',
      finishReason: 'stop',
      usage: { promptTokens: 1234, completionTokens: 3 },
      timings: { prefillTokensPerSecond: 812.5, decodeTokensPerSecond: 31.25, totalSeconds: 0.5 },
    });
    expect(subject.status()).toEqual({ state: 'ready', modelId: record.model_id });
  });

  it('reports a cut answer as "length"', async () => {
    const subject = engine();
    await subject.load(record.model_id, () => {});
    fake.chunks = [chunk('{"memories":[{', 'length')];
    expect((await subject.extract('P', { maxTokens: 5 })).finishReason).toBe('length');
  });

  it('interrupts WebLLM when the run is cancelled mid-answer', async () => {
    const subject = engine();
    await subject.load(record.model_id, () => {});
    const controller = new AbortController();
    fake.chunks = [chunk('{"mem'), chunk('ories"'), chunk(':[', 'abort')];
    const result = await subject.extract('P', {
      maxTokens: 100,
      signal: controller.signal,
      onText: () => controller.abort(),
    });
    expect(fake.interrupts).toBeGreaterThanOrEqual(1);
    expect(result.finishReason).toBe('abort');
  });

  it('maps WebLLM load reports to cache then GPU phases with bytes and time left', async () => {
    fake.reports = [
      { progress: 0, timeElapsed: 0, text: 'Start to fetch params' },
      { progress: 0.5, timeElapsed: 4, text: 'Loading model from cache[1/2]' },
      { progress: 1, timeElapsed: 8, text: 'Loading model from cache[2/2]' },
      { progress: 0.25, timeElapsed: 10, text: 'Loading GPU shader modules[1/4]' },
      { progress: 1, timeElapsed: 16, text: 'Finish loading on WebGPU' },
    ];
    const phases: unknown[] = [];
    await engine().load(record.model_id, (p) => phases.push(p));
    expect(phases).toEqual([
      { phase: 'check', fraction: null, text: 'Checking the model files…' },
      {
        phase: 'cache',
        fraction: 0,
        text: 'Start to fetch params',
        totalBytes: 2e9,
        loadedBytes: 0,
      },
      {
        phase: 'cache',
        fraction: 0.5,
        text: 'Loading model from cache[1/2]',
        totalBytes: 2e9,
        loadedBytes: 1e9,
        secondsLeft: 4,
      },
      {
        phase: 'cache',
        fraction: 1,
        text: 'Loading model from cache[2/2]',
        totalBytes: 2e9,
        loadedBytes: 2e9,
        secondsLeft: 0,
      },
      // Shader compilation: no bytes; too early (under a second) for a time estimate.
      { phase: 'gpu-init', fraction: 0.25, text: 'Loading GPU shader modules[1/4]' },
      { phase: 'gpu-init', fraction: 1, text: 'Finish loading on WebGPU', secondsLeft: 0 },
      { phase: 'ready', fraction: 1, text: 'Ready.' },
    ]);
  });

  it('turns a classified worker error into advice, and stops the worker', async () => {
    fake.failWith = {
      dimmemEngineError: true,
      code: 'device-lost',
      detail: 'DeviceLostError: lost',
    };
    const failure = await engine()
      .load(record.model_id, () => {})
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe('device-lost');
    expect((failure as EngineError).advice).toMatch(/smaller context window.*other quantization/);
    expect(terminated).toBe(1);
  });

  it('cancels a load without waiting for WebLLM', async () => {
    const controller = new AbortController();
    controller.abort();
    const failure = await engine()
      .load(record.model_id, () => {}, controller.signal)
      .catch((e: unknown) => e);
    expect((failure as DOMException).name).toBe('AbortError');
    expect(fake.created).toHaveLength(0);
  });
});
