import 'fake-indexeddb/auto';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { SearchIndex } from '../../../../src/core/search';
import type { DimmemDb } from '../../../../src/store/db/db';
import { openDimmemDb } from '../../../../src/store/db/db';
import type { AnswerModel } from '../../../../src/store/ask/answerModel';
import { createAskService, type AskDependencies } from '../../../../src/store/ask/askService';
import { shownQuestion, useAskStore } from '../../../../src/store/ask/askStore';
import { endpointAnswerModel } from '../../../../src/store/ask/endpointAnswerModel';
import type { GpuWatch } from '../../../../src/store/ask/gpuWatch';
import { dayFromIso } from '../../../../src/store/ask/questionDate';
import { listQuestions } from '../../../../src/store/ask/questionHistory';
import { createPublisher } from '../../../../src/store/tabs/publish';
import type { TabChannel } from '../../../../src/store/tabs/tabChannel';
import type { ChatCall, Reply } from '../../../support/openaiServer';
import { recordingChannel } from '../../../support/recordingChannel';
import { fixtureMemories } from '../../../support/searchTestData';
import { serverPerTest } from '../../../support/serverPerTest';

const servers = serverPerTest();
const memories = fixtureMemories();
const askedOn = dayFromIso('2023-09-10');
const question = 'When did I go to Paris?';

const analysis = {
  query_anchor: 'When did the user go to Paris?',
  need_assistant_context: false,
  dimension: { target_memory_type: ['episodic'], keywords: ['Paris'], time: '', location: 'Paris' },
  answer_dim: 'time',
};
const citedAnswer =
  'Reasoning: Two memories mention trips to Paris [1] and [2].\nAnswer: In June 2021 and in August 2023 [1][2].';

const isAnalysis = (call: ChatCall) => call.prompt.includes('You are a memory query parser');

/** A server that reads questions with `analysisText` and answers with `answerText`. */
async function startServer(analysisReply: Reply, answerReply: Reply) {
  return servers.start({
    models: ['qwen3-4b-test'],
    respond: (call) => (isAnalysis(call) ? analysisReply : answerReply),
  });
}

let dbCount = 0;
const dbName = () => `ask-${process.pid}-${(dbCount += 1)}-${Date.now()}`;

const noGpu: GpuWatch = { busy: () => null, subscribe: () => () => undefined };

function service(
  db: DimmemDb,
  model: () => AnswerModel | { unavailable: string },
  gpu = noGpu,
  channel: TabChannel | null = null,
) {
  let id = 0;
  const deps: AskDependencies = {
    db: async () => db,
    publish: createPublisher({ db: async () => db, channel }).publish,
    answerModel: model,
    gpu,
    now: () => Date.parse('2023-09-10T12:00:00Z') + id,
    newId: () => `q${(id += 1)}`,
  };
  return createAskService(deps);
}

const input = (text = question) => ({
  question: text,
  askedOn,
  index: new SearchIndex(memories),
  embed: null,
  meaningOff: 'no embedding model is loaded in this browser',
});

beforeEach(() => {
  useAskStore.setState(useAskStore.getInitialState(), true);
});

describe('answering in the Ask box', () => {
  it('streams a cited answer labelled with its model, kept in a history that survives reopening the database', async () => {
    const server = await startServer(
      { kind: 'answer', text: JSON.stringify(analysis) },
      { kind: 'answer', text: citedAnswer },
    );
    const name = dbName();
    const db = await openDimmemDb({ name });
    const model = endpointAnswerModel({
      settings: {
        baseUrl: server.baseUrl,
        guidedDecoding: 'json-schema',
        stream: true,
        idleTimeoutMs: 10_000,
      },
      model: 'qwen3-4b-test',
    });
    const seen: string[] = [];
    const stop = useAskStore.subscribe((state) => {
      const text = shownQuestion(state)?.details.answer?.text;
      if (text && seen.at(-1) !== text) seen.push(text);
    });
    await service(db, () => model).answer(input());
    stop();

    // The analysis went out constrained to the analysis schema; the answer streamed in pieces.
    const [analysisRequest, answerRequest] = server.chatRequests();
    expect(analysisRequest!.body!.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'dimmem_query_analysis' },
    });
    expect(answerRequest!.body!.response_format).toBeUndefined();
    expect(seen.length).toBeGreaterThan(1);

    const shown = shownQuestion(useAskStore.getState())!;
    expect(shown.details.analysisBy).toBe(`qwen3-4b-test at ${server.baseUrl}`);
    expect(shown.details.answer).toMatchObject({
      model: `qwen3-4b-test at ${server.baseUrl}`,
      status: 'done',
      text: citedAnswer,
      error: null,
    });
    const cited = shown.details.answer!.memoryIds.slice(0, 2);
    expect(cited).toEqual(expect.arrayContaining(['m-paris-2021', 'm-paris-2023']));
    db.close();

    const reopened = await openDimmemDb({ name });
    const history = await listQuestions(reopened);
    reopened.close();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ question, askedOn: '2023-09-10' });
    expect(history[0]!.details.answer!.memoryIds.slice(0, 2)).toEqual(cited);
    expect(history[0]!.details.answer!.text).toBe(citedAnswer);
  });

  it('falls back to the parser with a notice when the model’s analysis is off its schema', async () => {
    const server = await startServer(
      { kind: 'answer', text: '{"query_anchor": 3, "dimension": {}}' },
      { kind: 'answer', text: citedAnswer },
    );
    const db = await openDimmemDb({ name: dbName() });
    const model = endpointAnswerModel({
      settings: {
        baseUrl: server.baseUrl,
        guidedDecoding: 'none',
        stream: false,
        idleTimeoutMs: 10_000,
      },
      model: 'qwen3-4b-test',
    });
    await service(db, () => model).answer(input());
    const shown = shownQuestion(useAskStore.getState())!;
    expect(shown.details.analysisBy).toBe('parser');
    expect(shown.details.notices[0]).toMatch(
      /query analysis was not used \(the query analysis does not fit its schema/,
    );
    expect(shown.details.answer!.status).toBe('done');
    db.close();
  });

  it('keeps the question in the box and the history when the endpoint fails', async () => {
    const server = await startServer(
      { kind: 'answer', text: JSON.stringify(analysis) },
      { kind: 'error', status: 500, message: 'out of memory' },
    );
    const db = await openDimmemDb({ name: dbName() });
    useAskStore.getState().setQuestion(question);
    const model = endpointAnswerModel({
      settings: {
        baseUrl: server.baseUrl,
        guidedDecoding: 'none',
        stream: true,
        idleTimeoutMs: 10_000,
      },
      model: 'qwen3-4b-test',
    });
    await service(db, () => model).answer(input());
    const state = useAskStore.getState();
    expect(state.question).toBe(question);
    expect(state.phase).toBe('idle');
    const [stored] = await listQuestions(db);
    expect(stored!.details.answer!.status).toBe('failed');
    expect(stored!.details.answer!.error).toMatch(/500/);
    expect(stored!.details.answer!.error).toContain('out of memory');
    db.close();
  });

  it('refuses an empty question and says why there is no model, keeping the question', async () => {
    const db = await openDimmemDb({ name: dbName() });
    const ask = service(db, () => ({ unavailable: 'No model to answer with: save an endpoint.' }));
    await ask.answer(input('   '));
    expect(useAskStore.getState().message).toBe('Type a question first.');
    expect(await listQuestions(db)).toEqual([]);

    await ask.answer(input());
    const [stored] = await listQuestions(db);
    expect(stored!.question).toBe(question);
    expect(stored!.details.answer).toMatchObject({
      status: 'failed',
      error: 'No model to answer with: save an endpoint.',
    });
    // The ranking without a model is kept with it.
    expect(stored!.details.hits[0]!.memoryId).toMatch(/^m-paris-/);
    db.close();
  });

  it('keeps another tab’s history, fed only by the channel, the same as this tab’s', async () => {
    const db = await openDimmemDb({ name: dbName() });
    const tab = recordingChannel();
    const noModel = () => ({ unavailable: 'No model to answer with: save an endpoint.' });
    const ask = service(db, noModel, noGpu, tab.channel);
    await ask.answer(input('Where do I live?'));
    await ask.answer(input());
    await ask.remove('q1');
    const shownHere = useAskStore.getState().history;
    expect(shownHere.map((asked) => asked.question)).toEqual([question]);
    expect(tab.sent.map((message) => message.type)).toEqual([
      'question-saved',
      'question-saved',
      'question-removed',
    ]);

    // The other tab had loaded an empty history; it applies what this tab posted.
    useAskStore.setState(useAskStore.getInitialState(), true);
    useAskStore.getState().setHistory([]);
    const other = recordingChannel();
    const stop = createPublisher({ db: async () => db, channel: other.channel }).listen();
    for (const message of tab.sent) other.deliver(message);
    stop();
    expect(useAskStore.getState().history).toEqual(shownHere);
    expect(useAskStore.getState().history).toEqual(await listQuestions(db));
    db.close();
  });

  it('queues a GPU model’s answer while a run holds the GPU, and starts it when the run ends', async () => {
    let busy: string | null = 'a run is extracting memories on the GPU';
    const listeners = new Set<() => void>();
    const gpu: GpuWatch = {
      busy: () => busy,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const prompts: string[] = [];
    const gpuModel: AnswerModel = {
      label: 'Qwen3-4B in this browser',
      needsGpu: true,
      complete: async (prompt, options) => {
        prompts.push(prompt);
        return options.jsonSchema ? JSON.stringify(analysis) : citedAnswer;
      },
    };
    const db = await openDimmemDb({ name: dbName() });
    const answering = service(db, () => gpuModel, gpu).answer(input());
    // The question is saved first (an IndexedDB write), then it queues.
    await vi.waitFor(() => expect(useAskStore.getState().phase).toBe('queued'), { timeout: 5000 });
    expect(useAskStore.getState().phaseText).toContain('a run is extracting memories on the GPU');
    expect(prompts).toEqual([]);
    // The question is already in the history while it waits.
    expect((await listQuestions(db))[0]!.details.answer!.status).toBe('answering');

    busy = null;
    for (const listener of listeners) listener();
    await answering;
    expect(prompts).toHaveLength(2);
    expect(shownQuestion(useAskStore.getState())!.details.answer!.status).toBe('done');
    db.close();
  });

  it('ranks with words and structure when the question cannot be embedded, and says why', async () => {
    const model: AnswerModel = {
      label: 'qwen3-4b-test at http://127.0.0.1:9/v1',
      needsGpu: false,
      complete: async (_prompt, options) =>
        options.jsonSchema ? JSON.stringify(analysis) : citedAnswer,
    };
    const db = await openDimmemDb({ name: dbName() });
    await service(db, () => model).answer({
      ...input(),
      meaningOff: null,
      embed: () => Promise.reject(new Error('the embedding worker crashed')),
    });
    const shown = shownQuestion(useAskStore.getState())!;
    expect(shown.details.answer!.status).toBe('done');
    expect(shown.details.notices).toContain('Meaning route off: the embedding worker crashed');
    expect(shown.details.hits[0]!.routes.map((hit) => hit.route)).not.toContain('minilm');
    db.close();
  });
});
