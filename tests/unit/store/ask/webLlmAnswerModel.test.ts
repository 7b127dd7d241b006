import 'fake-indexeddb/auto';

import type { ChatCompletionChunk, ModelRecord } from '@mlc-ai/web-llm';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { answerModelRecord } from '../../../../src/engine/webllm/answerModelList';
import type { LoadProgress } from '../../../../src/engine/types';
import { WebLlmEngine } from '../../../../src/engine/webllm/webLlmEngine';
import type { AnswerSwapStatus } from '../../../../src/store/ask/answerModelStore';
import { createAnswerSession } from '../../../../src/store/ask/answerSession';
import { shownQuestion, useAskStore } from '../../../../src/store/ask/askStore';
import { listQuestions } from '../../../../src/store/ask/questionHistory';
import { webLlmAnswerModel } from '../../../../src/store/ask/webLlmAnswerModel';
import { openDimmemDb, type DimmemDb } from '../../../../src/store/db/db';
import { createFakeModelWorker, emptyBackend } from '../../../support/engineFakeWorker';
import { turnableGpu } from '../../../support/gpuWatches';
import { askBoxInput, parisAnalysis } from '../../../support/parisQuestion';
import { testAskService } from '../../../support/testAskService';

const modelId = 'Qwen3-4B-q4f32_1-MLC';
const label = `${modelId} in this browser (WebLLM)`;
const extractorId = 'DimMem-4B-q4f32_1-MLC';
const citedAnswer = 'Reasoning: Two trips [1][2].\nAnswer: In June 2021 and in August 2023 [1][2].';

function chunks(text: string): ChatCompletionChunk[] {
  const half = Math.ceil(text.length / 2);
  return [text.slice(0, half), text.slice(half)].map((content, at) => ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: modelId,
    choices: [{ index: 0, delta: { content }, finish_reason: at === 1 ? 'stop' : null }],
  })) as ChatCompletionChunk[];
}

interface HarnessOptions {
  analysisText?: string;
  /** The download waits until the swap is cancelled. */
  hangInstall?: boolean;
}

/**
 * The answer session with the real WebLLM engine client and worker handler, a fake GPU engine
 * behind them, a fake DimMem to take off the GPU, and an installer that reports a download.
 */
function harness(options: HarnessOptions = {}) {
  const events: string[] = [];
  const statuses: AnswerSwapStatus[] = [];
  const backend = emptyBackend();
  backend.progress = [
    { progress: 0.5, timeElapsed: 2, text: 'Loading model from cache[1/2]' },
    { progress: 1, timeElapsed: 4, text: 'Loading model from cache[2/2]' },
  ];
  // Each request gets the analysis or the answer, by whether it is constrained.
  Object.defineProperty(backend, 'chunks', {
    get: () =>
      chunks(
        backend.requests.at(-1)?.response_format
          ? (options.analysisText ?? JSON.stringify(parisAnalysis))
          : citedAnswer,
      ),
  });
  const workers: ReturnType<typeof createFakeModelWorker>[] = [];
  // The test makes it busy as a run extracting would (setBusy).
  const { gpu, setBusy } = turnableGpu();
  let hang = options.hangInstall ?? false;
  const session = createAnswerSession({
    createEngine: (records, prepare) =>
      new WebLlmEngine({
        records,
        prepare,
        createWorker: () => {
          events.push('worker started');
          const fake = createFakeModelWorker(backend);
          workers.push(fake);
          return fake.worker;
        },
      }),
    install: async (record, onProgress, signal) => {
      events.push(`install ${record.model_id}`);
      const progress: LoadProgress = {
        phase: 'download',
        fraction: 0.25,
        loadedBytes: 500,
        totalBytes: 2000,
        secondsLeft: 30,
        text: 'Downloading file 1 of 2',
      };
      onProgress(progress);
      if (hang) {
        await new Promise((_, reject) =>
          signal!.addEventListener('abort', () => reject(new DOMException('x', 'AbortError'))),
        );
      }
      return { weightBytes: 2000 };
    },
    swapOutExtractor: async () => {
      events.push(`unload ${extractorId}`);
      return extractorId;
    },
    gpu,
    onStatus: (status) => statuses.push(status),
  });
  const target = {
    modelId,
    record: async (): Promise<ModelRecord> => answerModelRecord(prebuiltAppConfig, modelId),
    install: true,
  };
  const model = webLlmAnswerModel(target, session);
  return {
    events,
    statuses,
    backend,
    workers,
    session,
    model,
    gpu,
    setBusy,
    stopHanging: () => (hang = false),
  };
}

let dbCount = 0;
const openDb = () => openDimmemDb({ name: `webllm-ask-${process.pid}-${(dbCount += 1)}` });

/** The Ask box's service answering with the harness' model on its GPU. */
const askService = (db: DimmemDb, h: ReturnType<typeof harness>) =>
  testAskService(db, () => h.model, h.gpu);

beforeEach(() => {
  useAskStore.setState(useAskStore.getInitialState(), true);
});

describe('answers by Qwen3-4B in this browser', () => {
  it('takes DimMem off the GPU, then loads the answer model with progress, and labels the answer', async () => {
    const h = harness();
    const db = await openDb();
    await askService(db, h).answer(askBoxInput());

    // The order of the swap: DimMem off, the download, then WebLLM's load in its worker.
    expect(h.events).toEqual([`unload ${extractorId}`, `install ${modelId}`, 'worker started']);
    expect(h.backend.reloads.map((reload) => reload.modelId)).toEqual([[modelId]]);
    const states = h.statuses.map((s) =>
      s.state === 'loading' ? `loading ${s.progress.phase}` : s.state,
    );
    expect(states).toEqual([
      'unloading',
      'unloading',
      'loading check',
      'loading download',
      'loading cache',
      'loading cache',
      'loading ready',
      'ready',
    ]);
    expect(h.statuses[1]).toEqual({ state: 'unloading', modelId, extractorId });
    const download = h.statuses.find(
      (s) => s.state === 'loading' && s.progress.phase === 'download',
    );
    expect(download).toMatchObject({
      extractorId,
      progress: { secondsLeft: 30, loadedBytes: 500 },
    });
    expect(h.statuses.at(-1)).toEqual({ state: 'ready', modelId, extractorId });

    // Both requests with thinking off; the analysis constrained to its schema.
    expect(h.backend.requests.map((r) => r.extra_body)).toEqual([
      { enable_thinking: false },
      { enable_thinking: false },
    ]);
    expect(h.backend.requests[0]!.response_format?.type).toBe('json_object');
    expect(h.backend.requests[1]!.response_format).toBeUndefined();

    const [stored] = await listQuestions(db);
    expect(stored!.details.analysisBy).toBe(label);
    expect(stored!.details.answer).toMatchObject({
      model: label,
      status: 'done',
      text: citedAnswer,
    });
    expect(stored!.details.answer!.memoryIds.slice(0, 2)).toEqual(
      expect.arrayContaining(['m-paris-2021', 'm-paris-2023']),
    );

    // The next question finds the model loaded: no second swap.
    await askService(db, h).answer(askBoxInput());
    expect(h.events).toHaveLength(3);
    expect(h.backend.reloads).toHaveLength(1);
    expect(h.backend.requests).toHaveLength(4);
    db.close();
  });

  it('queues the question while a run holds the GPU, swapping nothing until the run ends', async () => {
    const h = harness();
    h.setBusy('a run is extracting memories on the GPU');
    const db = await openDb();
    const answering = askService(db, h).answer(askBoxInput());
    await vi.waitFor(() => expect(useAskStore.getState().phase).toBe('queued'), { timeout: 5000 });
    expect(useAskStore.getState().phaseText).toBe(
      'Waiting: a run is extracting memories on the GPU. The answer starts after it.',
    );
    expect(h.events).toEqual([]);
    expect(h.backend.requests).toEqual([]);

    h.setBusy(null);
    await answering;
    expect(h.events[0]).toBe(`unload ${extractorId}`);
    expect(shownQuestion(useAskStore.getState())!.details.answer!.status).toBe('done');
    db.close();
  });

  it('never swaps under a run that started between two requests: it waits, then swaps', async () => {
    const h = harness();
    // A caller without the Ask box's queue (consolidation) while a run extracts.
    h.setBusy('a run is extracting memories on the GPU');
    const writing = h.model.complete('Q', { maxTokens: 64 });
    await vi.waitFor(() => expect(h.statuses.at(-1)?.state).toBe('waiting'));
    expect(h.statuses.at(-1)).toEqual({
      state: 'waiting',
      modelId,
      reason: 'a run is extracting memories on the GPU',
    });
    expect(h.events).toEqual([]);
    h.setBusy(null);
    expect(await writing).toBe(citedAnswer);
    expect(h.events[0]).toBe(`unload ${extractorId}`);
  });

  it('leaves nothing loaded when the swap is cancelled, and swaps cleanly the next time', async () => {
    const h = harness({ hangInstall: true });
    const db = await openDb();
    const ask = askService(db, h);
    const answering = ask.answer(askBoxInput());
    await vi.waitFor(() =>
      expect(h.statuses.at(-1)).toMatchObject({
        state: 'loading',
        progress: { phase: 'download' },
      }),
    );
    ask.stop();
    await answering;

    expect(h.statuses.at(-1)).toEqual({ state: 'none' });
    expect(h.session.loadedModel()).toBeNull();
    expect(h.workers).toEqual([]); // WebLLM's worker never started
    const state = useAskStore.getState();
    expect(state.phase).toBe('idle');
    const [stored] = await listQuestions(db);
    expect(stored!.details.answer).toMatchObject({ status: 'stopped', error: null });

    h.stopHanging();
    await ask.answer(askBoxInput());
    expect(shownQuestion(useAskStore.getState())!.details.answer!.status).toBe('done');
    expect(h.events.filter((e) => e.startsWith('install'))).toHaveLength(2);
    expect(h.session.loadedModel()).toBe(modelId);
    db.close();
  });

  it('says when the model’s analysis is off its schema, and still ranks and answers', async () => {
    const h = harness({ analysisText: '{"query_anchor": 3, "dimension": {}}' });
    const db = await openDb();
    await askService(db, h).answer(askBoxInput());
    const shown = shownQuestion(useAskStore.getState())!;
    expect(shown.details.analysisBy).toBe('parser');
    expect(shown.details.notices[0]).toMatch(
      new RegExp(`^${modelId} in this browser \\(WebLLM\\)'s query analysis was not used \\(`),
    );
    expect(shown.details.notices[0]).toMatch(/the question was read without a model\.$/);
    expect(shown.details.hits.length).toBeGreaterThan(0);
    expect(shown.details.hits[0]!.memoryId).toMatch(/^m-paris-/);
    expect(shown.details.answer).toMatchObject({ model: label, status: 'done' });
    db.close();
  });

  it('gives the GPU back for DimMem after the answer under way, never during it', async () => {
    const h = harness();
    let finish!: () => void;
    const using = h.session.use(
      { modelId, record: async () => answerModelRecord(prebuiltAppConfig, modelId), install: true },
      undefined,
      () => new Promise<string>((resolve) => (finish = () => resolve('written'))),
    );
    await vi.waitFor(() => expect(h.session.loadedModel()).toBe(modelId));
    let released = false;
    const release = h.session.release().then(() => (released = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(released).toBe(false);
    expect(h.workers[0]!.isTerminated()).toBe(false);
    finish();
    expect(await using).toBe('written');
    await release;
    expect(h.workers[0]!.isTerminated()).toBe(true);
    expect(h.session.loadedModel()).toBeNull();
    expect(h.statuses.at(-1)).toEqual({ state: 'none' });
  });
});
