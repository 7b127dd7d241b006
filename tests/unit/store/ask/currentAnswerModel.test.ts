import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { GpuAssessment } from '../../../../src/engine/gpu/assessGpu';

/** A Storage-like map, as localStorage behaves. */
function memoryStorage(initial: Record<string, string>) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
  };
}
const storage = memoryStorage({ 'dimmem.ask.answer-model.v1': '{"kind":"qwen3-4b"}' });
vi.stubGlobal('localStorage', storage);

// Imported after the stub: the stores read the saved choices when they are created.
const { currentAnswerModel, runsGpuWatch } =
  await import('../../../../src/store/ask/currentAnswerModel');
const { chooseAnswerModel } = await import('../../../../src/store/ask/browserAnswerModel');
const { readAnswerModelSetting } = await import('../../../../src/store/ask/answerModelSetting');
const { useAnswerModelStore } = await import('../../../../src/store/ask/answerModelStore');
const { useEngineStore } = await import('../../../../src/store/engine/engineStore');
const { useRunsStore } = await import('../../../../src/store/runs/runsStore');

function gpuRuns(quantization: 'q4f16_1' | 'q4f32_1'): GpuAssessment {
  return { canRun: true, quantization, software: false, adapterLabel: 'test GPU', items: [] };
}

const labelOf = () => {
  const choice = currentAnswerModel();
  return 'unavailable' in choice ? `unavailable: ${choice.unavailable}` : choice.label;
};

beforeEach(() => {
  useEngineStore.getState().setGpu({ state: 'checked', assessment: gpuRuns('q4f16_1') });
});

describe('which model answers', () => {
  it('follows the saved choice, Qwen3-4B in the quantization the GPU runs', () => {
    expect(useAnswerModelStore.getState().setting).toEqual({ kind: 'qwen3-4b' });
    expect(labelOf()).toBe('Qwen3-4B-q4f16_1-MLC in this browser (WebLLM)');
    const choice = currentAnswerModel();
    expect('needsGpu' in choice && choice.needsGpu).toBe(true);
    // No shader-f16: the f32 build, as the GPU check chose for DimMem.
    useEngineStore.getState().setGpu({ state: 'checked', assessment: gpuRuns('q4f32_1') });
    expect(labelOf()).toBe('Qwen3-4B-q4f32_1-MLC in this browser (WebLLM)');
  });

  it('saves another model of WebLLM’s list, and refuses an f16 build on a GPU without shader-f16', () => {
    chooseAnswerModel({ kind: 'webllm', modelId: 'Llama-3.2-1B-Instruct-q4f16_1-MLC' });
    expect(JSON.parse(storage.getItem('dimmem.ask.answer-model.v1')!)).toEqual({
      kind: 'webllm',
      modelId: 'Llama-3.2-1B-Instruct-q4f16_1-MLC',
    });
    expect(labelOf()).toBe('Llama-3.2-1B-Instruct-q4f16_1-MLC in this browser (WebLLM)');
    useEngineStore.getState().setGpu({ state: 'checked', assessment: gpuRuns('q4f32_1') });
    expect(labelOf()).toBe(
      'unavailable: Llama-3.2-1B-Instruct-q4f16_1-MLC needs half-precision shaders (shader-f16), which this GPU lacks: pick an f32 build (q4f32_1).',
    );
  });

  it('says why no model can answer: the GPU unchecked, or unable, or no endpoint saved', async () => {
    chooseAnswerModel({ kind: 'qwen3-4b' });
    useEngineStore.getState().setGpu({ state: 'unchecked' });
    expect(labelOf()).toBe(
      'unavailable: Checking this browser’s GPU before a model can answer here…',
    );
    // The check then runs: without `navigator` it fails, and says so (once, not at each render).
    await vi.waitFor(() =>
      expect(labelOf()).toMatch(/^unavailable: This browser’s GPU could not be checked \(/),
    );
    expect(useEngineStore.getState().gpu.state).toBe('unchecked');
    // A browser without WebGPU: choosing again checks again, and says why it cannot answer here.
    vi.stubGlobal('navigator', {});
    chooseAnswerModel({ kind: 'qwen3-4b' });
    await vi.waitFor(() => expect(useEngineStore.getState().gpu.state).toBe('checked'));
    expect(labelOf()).toBe(
      'unavailable: This browser cannot run a model on its GPU (WebGPU is not available): answer with the endpoint instead.',
    );
    chooseAnswerModel({ kind: 'endpoint' });
    expect(labelOf()).toMatch(/^unavailable: No model to answer with: save an OpenAI-compatible/);
  });

  it('reads a damaged or foreign saved choice as the endpoint', () => {
    for (const raw of ['{not json', '{"kind":"webllm"}', '{"kind":"webllm","modelId":""}', '"x"']) {
      storage.setItem('dimmem.ask.answer-model.v1', raw);
      expect(readAnswerModelSetting()).toEqual({ kind: 'endpoint' });
    }
  });

  it('counts a run, or DimMem loading, as holding the GPU, and tells when that changes', () => {
    const changes = vi.fn();
    const stop = runsGpuWatch.subscribe(changes);
    expect(runsGpuWatch.busy()).toBeNull();
    useEngineStore.getState().setLoad({
      state: 'loading',
      modelId: 'DimMem-4B-q4f16_1-MLC',
      progress: { phase: 'cache', fraction: 0.5, text: '' },
    });
    expect(runsGpuWatch.busy()).toBe('DimMem-4B-q4f16_1-MLC is loading for extraction');
    useEngineStore.getState().setLoad({ state: 'idle' });
    useRunsStore.getState().setOwner('run-1', 'other-tab');
    expect(runsGpuWatch.busy()).toBe('a run is extracting memories on the GPU');
    useRunsStore.getState().setOwner('run-1', null);
    expect(runsGpuWatch.busy()).toBeNull();
    expect(changes.mock.calls.length).toBeGreaterThanOrEqual(4);
    stop();
  });
});
