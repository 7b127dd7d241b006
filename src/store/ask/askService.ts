import { errorText } from '../../core/errorText';
import type { SearchableMemory, SearchIndex } from '../../core/search';
import {
  buildAnswerPrompt,
  buildQueryAnalysisPrompt,
  parseQueryAnalysis,
  QueryAnalysisError,
  queryAnalysisJsonSchema,
  queryAnalysisSchemaName,
  type QueryAnalysis,
} from '../../core/search';
import type { DimmemDb } from '../db/db';
import type { Publish } from '../tabs/publish';
import type { AskedAnswer, AskedQuestion, AskDetails } from './askDetails';
import { isUnavailable, type AnswerModel, type AnswerModelChoice } from './answerModel';
import { useAskStore } from './askStore';
import { isoDay, promptDate } from './questionDate';
import { deleteQuestion, listQuestions, saveQuestion } from './questionHistory';
import { rankQuestion, type AskRanking } from './rankQuestion';
import { waitUntilGpuFree, type GpuWatch } from './gpuWatch';

export interface AskDependencies {
  db: () => Promise<DimmemDb>;
  /** Questions saved and removed reach the other tabs' histories through it. */
  publish: Publish;
  /** The model answers come from now, or why there is none. */
  answerModel: () => AnswerModelChoice;
  gpu: GpuWatch;
  now: () => number;
  newId: () => string;
}

export interface AnswerInput<M extends SearchableMemory = SearchableMemory> {
  question: string;
  /** The question's day (00:00): relative times count from it. */
  askedOn: number;
  /** The memories of the table's filters, indexed (see useAskRanking). */
  index: SearchIndex<M>;
  /** The question's vector for the meaning route (null: off, with `meaningOff` saying why). */
  embed: ((text: string, signal: AbortSignal) => Promise<Float32Array | null>) | null;
  meaningOff: string | null;
}

const analysisTokens = 1024;
const answerTokens = 2048;

/** The parts of a ranking the history keeps. */
export function rankingDetails<M extends SearchableMemory>(
  ranking: AskRanking<M>,
): Omit<AskDetails, 'answer'> {
  return {
    analysisBy: ranking.analysisBy,
    timeUnderstood: ranking.result.timeUnderstood,
    notices: ranking.notices,
    hits: ranking.result.hits.map((hit) => ({
      memoryId: hit.memory.id,
      rank: hit.rank,
      content: hit.memory.content,
      routes: hit.routes,
    })),
  };
}

/**
 * The Ask box's actions: answering a question (query analysis by the model, ranking within the
 * table's filters, the streamed answer), and the history kept in IndexedDB. Every question is
 * saved before its answer starts and again when it ends, however it ends.
 */
export function createAskService(deps: AskDependencies) {
  const store = useAskStore;
  let controller: AbortController | null = null;

  async function persist(question: AskedQuestion): Promise<void> {
    // Shown at once, like the streamed text; other tabs see it once it is stored.
    store.getState().upsertQuestion(question);
    try {
      await saveQuestion(await deps.db(), question);
      await deps.publish({ type: 'question-saved', question });
    } catch (error) {
      store.getState().setMessage(`The question could not be saved: ${errorText(error)}`);
    }
  }

  /** The model's query analysis, or null with a notice when it is off its schema. */
  async function analyse<M extends SearchableMemory>(
    model: AnswerModel,
    input: AnswerInput<M>,
    notices: string[],
    signal: AbortSignal,
  ): Promise<QueryAnalysis | null> {
    const prompt = buildQueryAnalysisPrompt(input.question, promptDate(input.askedOn));
    const text = await model.complete(prompt, {
      maxTokens: analysisTokens,
      signal,
      jsonSchema: { name: queryAnalysisSchemaName, schema: queryAnalysisJsonSchema },
    });
    try {
      return parseQueryAnalysis(text);
    } catch (error) {
      if (!(error instanceof QueryAnalysisError)) throw error;
      notices.push(
        `${model.label}'s query analysis was not used (${error.message}); the question was read without a model.`,
      );
      return null;
    }
  }

  async function write<M extends SearchableMemory>(
    record: AskedQuestion,
    model: AnswerModel,
    input: AnswerInput<M>,
    signal: AbortSignal,
  ): Promise<AskedQuestion> {
    let current = record;
    const update = (details: Partial<AskDetails>, answer: Partial<AskedAnswer> = {}) => {
      current = {
        ...current,
        details: {
          ...current.details,
          ...details,
          answer: { ...current.details.answer!, ...answer },
        },
      };
      store.getState().upsertQuestion(current);
    };
    if (model.needsGpu && deps.gpu.busy() !== null) {
      store
        .getState()
        .setPhase('queued', `Waiting: ${deps.gpu.busy()}. The answer starts after it.`);
      await waitUntilGpuFree(deps.gpu, signal);
    }
    store.getState().setPhase('analysing', `${model.label} reads the question…`);
    const notices: string[] = [];
    const analysis = await analyse(model, input, notices, signal);
    const anchor = analysis?.query_anchor || input.question;
    let queryVector: Float32Array | null = null;
    let meaningOff = input.meaningOff;
    try {
      queryVector = input.embed ? await input.embed(anchor, signal) : null;
    } catch (error) {
      // The other two routes still rank: the answer says why the meaning route is off.
      if (signal.aborted) throw error;
      meaningOff = errorText(error);
    }
    const ranking = rankQuestion(input.index, input.question, {
      askedOn: input.askedOn,
      modelAnalysis: analysis && { analysis, by: model.label },
      queryVector,
      meaningOff,
      fusion: store.getState().fusion,
    });
    const hits = ranking.result.hits;
    if (hits.length === 0)
      notices.push('No memory matches this question: the model answered without memories.');
    const details = rankingDetails(ranking);
    update(
      { ...details, notices: [...notices, ...details.notices] },
      { memoryIds: hits.map((hit) => hit.memory.id) },
    );
    store.getState().setPhase('answering', `${model.label} is writing the answer…`);
    const prompt = buildAnswerPrompt({
      question: input.question,
      questionDate: promptDate(input.askedOn),
      memories: hits.map((hit) => hit.memory),
      style: current.details.answer!.promptStyle,
    });
    const text = await model.complete(prompt, {
      maxTokens: answerTokens,
      signal,
      onText: (soFar) => update({}, { text: soFar }),
    });
    update({}, { text, status: signal.aborted ? 'stopped' : 'done', answeredAt: deps.now() });
    return current;
  }

  return {
    async loadHistory(): Promise<void> {
      try {
        store.getState().setHistory(await listQuestions(await deps.db()));
      } catch (error) {
        store.getState().setHistory([]);
        store.getState().setMessage(`The question history could not be read: ${errorText(error)}`);
      }
    },

    /** Answers the question over the given memories; resolves once the answer has ended. */
    async answer<M extends SearchableMemory>(input: AnswerInput<M>): Promise<void> {
      const question = input.question.trim();
      const state = store.getState();
      if (question === '') {
        state.setMessage('Type a question first.');
        return;
      }
      if (state.phase !== 'idle') {
        state.setMessage('An answer is being written: wait for it, or stop it.');
        return;
      }
      state.setMessage(null);
      const choice = deps.answerModel();
      const ranking = rankQuestion(input.index, question, {
        askedOn: input.askedOn,
        meaningOff: input.meaningOff,
        fusion: state.fusion,
      });
      const now = deps.now();
      const answer: AskedAnswer = {
        model: isUnavailable(choice) ? 'no model' : choice.label,
        promptStyle: state.promptStyle,
        text: '',
        status: isUnavailable(choice) ? 'failed' : 'answering',
        error: isUnavailable(choice) ? choice.unavailable : null,
        memoryIds: ranking.result.hits.map((hit) => hit.memory.id),
        answeredAt: now,
      };
      let record: AskedQuestion = {
        id: deps.newId(),
        question,
        askedAt: now,
        askedOn: isoDay(input.askedOn),
        details: { ...rankingDetails(ranking), answer },
      };
      state.show(record.id);
      await persist(record);
      if (isUnavailable(choice)) return;

      const ownController = new AbortController();
      controller = ownController;
      try {
        record = await write(record, choice, { ...input, question }, ownController.signal);
      } catch (error) {
        const latest = store.getState().history.find((q) => q.id === record.id) ?? record;
        const stopped = ownController.signal.aborted;
        record = {
          ...latest,
          details: {
            ...latest.details,
            answer: {
              ...latest.details.answer!,
              status: stopped ? 'stopped' : 'failed',
              error: stopped ? null : errorText(error),
              answeredAt: deps.now(),
            },
          },
        };
      } finally {
        if (controller === ownController) controller = null;
        store.getState().setPhase('idle');
      }
      await persist(record);
    },

    /** Stops the answer being written (or waiting); what was written is kept. */
    stop(): void {
      controller?.abort();
    },

    /** Shows a question of the history again, and puts it back in the Ask box. */
    reopen(id: string): void {
      const question = store.getState().history.find((q) => q.id === id);
      if (!question) return;
      store.getState().setQuestion(question.question);
      store.getState().show(id);
    },

    async remove(id: string): Promise<void> {
      try {
        await deleteQuestion(await deps.db(), id);
        await deps.publish({ type: 'question-removed', id });
      } catch (error) {
        store.getState().setMessage(`The question could not be deleted: ${errorText(error)}`);
      }
    },
  };
}

export type AskService = ReturnType<typeof createAskService>;
