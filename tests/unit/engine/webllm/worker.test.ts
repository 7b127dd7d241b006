import { IntegrityError } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';

import { answerJsonSchemaText } from '../../../../src/core/schema/jsonSchema';
import { EngineError } from '../../../../src/engine/errors/engineError';
import { classifyWebLlmError } from '../../../../src/engine/errors/classifyWebLlmError';
import { engineErrorFromWorker } from '../../../../src/engine/errors/serializedError';
import { WebLlmEngine } from '../../../../src/engine/webllm/webLlmEngine';
import { createFakeModelWorker, emptyBackend } from '../../../support/engineFakeWorker';
import { loadWebLlmInternals } from '../../../support/engineWebLlmInternals';

const record = {
  model: 'https://huggingface.co/someone/DimMem-4B-q4f32_1-MLC',
  model_id: 'DimMem-4B-q4f32_1-MLC',
  model_lib: 'https://example.test/Qwen3-4B-q4f32_1_cs1k-webgpu.wasm',
  overrides: { context_window_size: 8192 },
};

function engineWith(backend = emptyBackend()) {
  const fake = createFakeModelWorker(backend);
  const engine = new WebLlmEngine({
    records: () => [record],
    prepare: async () => ({ weightBytes: 100 }),
    createWorker: () => fake.worker,
  });
  return { engine, backend, fake };
}

describe('engine ↔ worker boundary (real WebLLM client and handler)', () => {
  it('posts a reload with our record, then the exact extraction request', async () => {
    const { engine, backend, fake } = engineWith();
    await engine.load(record.model_id, () => {});
    expect(fake.posted.map((m) => m.kind)).toEqual(['setAppConfig', 'reload']);
    expect(backend.appConfigs).toEqual([{ model_list: [record] }]);
    expect(backend.reloads).toEqual([{ modelId: [record.model_id], chatOpts: undefined }]);

    backend.chunks = [
      {
        id: '1',
        object: 'chat.completion.chunk',
        created: 0,
        model: record.model_id,
        choices: [{ index: 0, delta: { content: '{"memories":[]}' }, finish_reason: 'stop' }],
      },
    ];
    const result = await engine.extract('THE PROMPT', { maxTokens: 3000 });
    expect(result.text).toBe('{"memories":[]}');
    expect(backend.requests).toEqual([
      {
        messages: [{ role: 'user', content: 'THE PROMPT' }],
        extra_body: { enable_thinking: false },
        temperature: 0,
        max_tokens: 3000,
        response_format: { type: 'json_object', schema: answerJsonSchemaText },
        stream: true,
        stream_options: { include_usage: true },
      },
    ]);
    const kinds = fake.posted.map((m) => m.kind);
    expect(kinds[2]).toBe('chatCompletionStreamInit');
    expect(kinds.filter((k) => k === 'completionStreamNextChunk').length).toBeGreaterThanOrEqual(2);
  });

  it('forwards WebLLM load progress across the boundary', async () => {
    const backend = emptyBackend();
    backend.progress = [{ progress: 0.5, timeElapsed: 2, text: 'Loading model from cache[1/2]' }];
    const { engine } = engineWith(backend);
    const seen: string[] = [];
    await engine.load(record.model_id, (p) => seen.push(`${p.phase} ${p.fraction}`));
    expect(seen).toEqual(['check null', 'cache 0.5', 'ready 1']);
  });

  it('maps a WebLLM DeviceLostError thrown in the worker to advice on the main thread', async () => {
    const { DeviceLostError } = await loadWebLlmInternals();
    const backend = emptyBackend();
    backend.reloadError = new (DeviceLostError as new () => Error)();
    const { engine, fake } = engineWith(backend);
    const failure = await engine.load(record.model_id, () => {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe('device-lost');
    expect((failure as EngineError).message).toMatch(/smaller context window/);
    expect(engine.status()).toMatchObject({ state: 'error' });
    expect(fake.isTerminated()).toBe(true);
  });
});

describe('WebLLM error classes', () => {
  it('each maps to the advice for what the user can do', async () => {
    const internals = await loadWebLlmInternals();
    const make = (name: keyof typeof internals, ...args: unknown[]) =>
      new (internals[name] as new (...a: unknown[]) => Error)(...args);
    const cases: [Error, string][] = [
      [make('WebGPUNotAvailableError'), 'webgpu-unavailable'],
      [make('WebGPUNotFoundError'), 'webgpu-unavailable'],
      [make('ShaderF16SupportError'), 'shader-f16-missing'],
      [make('FeatureSupportError', 'subgroups'), 'gpu-feature-missing'],
      [make('DeviceLostError'), 'device-lost'],
      [make('ContextWindowSizeExceededError', 9000, 8192), 'context-overflow'],
      [make('MissingModelWasmError', 'x'), 'model-library-unavailable'],
      [make('UnsupportedTokenizerFilesError', ['a']), 'model-config-invalid'],
      [new IntegrityError('u', 'sha256-a', 'sha256-b'), 'integrity'],
      [new WebAssembly.CompileError('bad magic'), 'model-library-invalid'],
      [new DOMException('full', 'QuotaExceededError'), 'storage-full'],
      [make('ModelNotFoundError', 'x'), 'unknown'],
      [new Error('WebGPU device lost'), 'unknown'], // messages are never read
    ];
    for (const [error, code] of cases) {
      const crossed = structuredClone(classifyWebLlmError(error));
      expect([error.name, engineErrorFromWorker(crossed).code]).toEqual([error.name, code]);
    }
  });

  it('context overflow and device loss say what to change', () => {
    const overflow = engineErrorFromWorker({
      dimmemEngineError: true,
      code: 'context-overflow',
      detail: '',
    });
    expect(overflow.advice).toMatch(/smaller windows or a larger context window/);
    const strange = engineErrorFromWorker('Error: something else');
    expect(strange.code).toBe('unknown');
    expect(strange.detail).toBe('Error: something else');
  });
});
