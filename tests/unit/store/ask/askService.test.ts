import 'fake-indexeddb/auto';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { openDimmemDb } from '../../../../src/store/db/db';
import type { AnswerModel } from '../../../../src/store/ask/answerModel';
import { shownQuestion, useAskStore } from '../../../../src/store/ask/askStore';
import { endpointAnswerModel } from '../../../../src/store/ask/endpointAnswerModel';
import { listQuestions } from '../../../../src/store/ask/questionHistory';
import { createPublisher } from '../../../../src/store/tabs/publish';
import { freeGpu, turnableGpu } from '../../../support/gpuWatches';
import type { ChatCall, Reply } from '../../../support/openaiServer';
import { askBoxInput, parisAnalysis, parisQuestion } from '../../../support/parisQuestion';
import { recordingChannel } from '../../../support/recordingChannel';
import { serverPerTest } from '../../../support/serverPerTest';
import { testAskService } from '../../../support/testAskService';

const servers = serverPerTest();
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

beforeEach(() => {
  useAskStore.setState(useAskStore.getInitialState(), true);
});

describe('answering in the Ask box', () => {
  it('streams a cited answer labelled with its model, kept in a history that survives reopening the database', async () => {
    const server = await startServer(
      { kind: 'answer', text: JSON.stringify(parisAnalysis) },
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
    await testAskService(db, () => model).answer(askBoxInput());
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
    expect(history[0]).toMatchObject({ question: parisQuestion, askedOn: '2023-09-10' });
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
    await testAskService(db, () => model).answer(askBoxInput());
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
      { kind: 'answer', text: JSON.stringify(parisAnalysis) },
      { kind: 'error', status: 500, message: 'out of memory' },
    );
    const db = await openDimmemDb({ name: dbName() });
    useAskStore.getState().setQuestion(parisQuestion);
    const model = endpointAnswerModel({
      settings: {
        baseUrl: server.baseUrl,
        guidedDecoding: 'none',
        stream: true,
        idleTimeoutMs: 10_000,
      },
      model: 'qwen3-4b-test',
    });
    await testAskService(db, () => model).answer(askBoxInput());
    const state = useAskStore.getState();
    expect(state.question).toBe(parisQuestion);
    expect(state.phase).toBe('idle');
    const [stored] = await listQuestions(db);
    expect(stored!.details.answer!.status).toBe('failed');
    expect(stored!.details.answer!.error).toMatch(/500/);
    expect(stored!.details.answer!.error).toContain('out of memory');
    db.close();
  });

  it('refuses an empty question and says why there is no model, keeping the question', async () => {
    const db = await openDimmemDb({ name: dbName() });
    const ask = testAskService(db, () => ({
      unavailable: 'No model to answer with: save an endpoint.',
    }));
    await ask.answer(askBoxInput('   '));
    expect(useAskStore.getState().message).toBe('Type a question first.');
    expect(await listQuestions(db)).toEqual([]);

    await ask.answer(askBoxInput());
    const [stored] = await listQuestions(db);
    expect(stored!.question).toBe(parisQuestion);
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
    const ask = testAskService(db, noModel, freeGpu, tab.channel);
    await ask.answer(askBoxInput('Where do I live?'));
    await ask.answer(askBoxInput());
    await ask.remove('q1');
    const shownHere = useAskStore.getState().history;
    expect(shownHere.map((asked) => asked.question)).toEqual([parisQuestion]);
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
    const { gpu, setBusy } = turnableGpu('a run is extracting memories on the GPU');
    const prompts: string[] = [];
    const gpuModel: AnswerModel = {
      label: 'Qwen3-4B in this browser',
      needsGpu: true,
      complete: async (prompt, options) => {
        prompts.push(prompt);
        return options.jsonSchema ? JSON.stringify(parisAnalysis) : citedAnswer;
      },
    };
    const db = await openDimmemDb({ name: dbName() });
    const answering = testAskService(db, () => gpuModel, gpu).answer(askBoxInput());
    // The question is saved first (an IndexedDB write), then it queues.
    await vi.waitFor(() => expect(useAskStore.getState().phase).toBe('queued'), { timeout: 5000 });
    expect(useAskStore.getState().phaseText).toContain('a run is extracting memories on the GPU');
    expect(prompts).toEqual([]);
    // The question is already in the history while it waits.
    expect((await listQuestions(db))[0]!.details.answer!.status).toBe('answering');

    setBusy(null);
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
        options.jsonSchema ? JSON.stringify(parisAnalysis) : citedAnswer,
    };
    const db = await openDimmemDb({ name: dbName() });
    await testAskService(db, () => model).answer({
      ...askBoxInput(),
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
