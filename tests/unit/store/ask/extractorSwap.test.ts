import { describe, expect, it } from 'vitest';

import type { ExtractionEngine, ExtractResult } from '../../../../src/engine/types';
import { useEngineStore } from '../../../../src/store/engine/engineStore';
import {
  activate,
  getActiveEngine,
  loadedEngine,
  setGpuRelease,
  swapOutExtractor,
  unloadModel,
} from '../../../../src/store/engine/modelSession';

const dimmem = 'DimMem-4B-q4f16_1-MLC';
const result: ExtractResult = {
  text: '{"memories":[]}',
  finishReason: 'stop',
  usage: { promptTokens: 10, completionTokens: 5 },
  timings: { prefillTokensPerSecond: 100, decodeTokensPerSecond: 20, totalSeconds: 1 },
};

/** DimMem on the GPU as the model session sees it, logging what it is asked. */
function fakeExtractor(log: string[], kind: ExtractionEngine['kind'] = 'webllm') {
  let loaded: string | null = null;
  let failLoad: string | null = null;
  const engine: ExtractionEngine = {
    kind,
    get modelId() {
      return loaded;
    },
    load: async (modelId, onProgress) => {
      log.push(`load ${modelId}`);
      onProgress({ phase: 'cache', fraction: 0.5, secondsLeft: 12, text: 'Loading' });
      if (failLoad) throw new Error(failLoad);
      loaded = modelId;
    },
    extract: async (prompt) => {
      if (!loaded) throw new Error('Load a model before extracting.');
      log.push(`extract ${prompt}`);
      return result;
    },
    unload: async () => {
      if (loaded) log.push(`unload ${loaded}`);
      loaded = null;
    },
    status: () => (loaded ? { state: 'ready', modelId: loaded } : { state: 'idle' }),
  };
  return { engine, failNextLoads: (why: string | null) => (failLoad = why) };
}

describe('DimMem taken off the GPU for an answer model', () => {
  it('is unloaded, still offered to runs, and loaded again (answer model first out) before the next window', async () => {
    const log: string[] = [];
    const { engine } = fakeExtractor(log);
    setGpuRelease(async () => void log.push('answer model unloaded'));
    await activate(engine, dimmem);
    log.length = 0;

    expect(await swapOutExtractor()).toBe(dimmem);
    expect(log).toEqual([`unload ${dimmem}`]);
    // Runs may still start: the store keeps it ready (set aside, as the Model view says), and runs
    // are labelled with its id.
    expect(useEngineStore.getState().load).toMatchObject({
      state: 'ready',
      modelId: dimmem,
      setAside: true,
    });
    expect(loadedEngine()).toEqual({ kind: 'webllm', modelId: dimmem });
    const forRun = getActiveEngine()!;
    expect(forRun.modelId).toBe(dimmem);

    const phases: string[] = [];
    const stop = useEngineStore.subscribe((state) => phases.push(state.load.state));
    expect(await forRun.extract('window 1', { maxTokens: 100 })).toEqual(result);
    stop();
    expect(log).toEqual([
      `unload ${dimmem}`,
      'answer model unloaded',
      `load ${dimmem}`,
      'extract window 1',
    ]);
    expect(phases).toContain('loading');
    expect(phases.at(-1)).toBe('ready');
    expect(useEngineStore.getState().load).not.toHaveProperty('setAside');
    // Once back, the next window does not load it again.
    await forRun.extract('window 2', { maxTokens: 100 });
    expect(log.filter((line) => line.startsWith('load'))).toHaveLength(1);
    await unloadModel();
  });

  it('fails the window with the reason when DimMem cannot be loaded again', async () => {
    const log: string[] = [];
    const { engine, failNextLoads } = fakeExtractor(log);
    setGpuRelease(async () => undefined);
    await activate(engine, dimmem);
    await swapOutExtractor();
    failNextLoads('GPU memory is full');
    const forRun = getActiveEngine()!;
    await expect(forRun.extract('window', { maxTokens: 100 })).rejects.toThrow(
      `${dimmem} could not be loaded again after answering: `,
    );
    expect(useEngineStore.getState().load).toMatchObject({ state: 'error', modelId: dimmem });
    await unloadModel();
  });

  it('leaves an extractor that is not on this GPU (an endpoint) alone', async () => {
    const log: string[] = [];
    const { engine } = fakeExtractor(log, 'openai-endpoint');
    await activate(engine, 'qwen3-4b-served');
    log.length = 0;
    expect(await swapOutExtractor()).toBeNull();
    expect(log).toEqual([]);
    expect(getActiveEngine()!.modelId).toBe('qwen3-4b-served');
    await unloadModel();
  });
});
