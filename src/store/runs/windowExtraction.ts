import type { Conversation, Message } from '../../core/conversation';
import { errorText } from '../../core/errorText';
import type { ExtractedMemory } from '../../core/memory';
import type { AnswerVerdict } from '../../core/parse';
import {
  answerVerdict,
  normalizeMemories,
  parseAnswer,
  StreamingAnswerParser,
} from '../../core/parse';
import { buildPrompt } from '../../core/prompt';
import type { PromptWindow } from '../../core/windows';
import type { ExtractionEngine, ExtractResult } from '../../engine/types';
import type { DimmemDb } from '../db/db';
import type { MemoryRecord, RunRecord, WindowRecord } from '../db/records';
import { memoryId, provisionalMemoryId } from '../memories/memoryIds';
import type { Publish } from '../tabs/publish';
import { commitWindow, putWindow } from './runRepository';

/** Live progress (answer length) is published at most this often. */
const LIVE_INTERVAL_MS = 200;

export interface WindowExtraction {
  db: DimmemDb;
  run: RunRecord;
  window: WindowRecord;
  /** Null when the conversation was deleted since the run was planned. */
  conversation: Conversation | null;
  engine: ExtractionEngine;
  /** Aborted by pause or cancel: the window goes back to pending. */
  signal: AbortSignal;
  publish: Publish;
  now: () => number;
}

/**
 * Sends one window to the model and commits its outcome. While the model writes, the memories
 * complete so far are published as provisional ones (never stored) with the live answer length;
 * the finished window and its memories are committed in one transaction and replace them. A
 * stopped window goes back to pending; one whose request failed is marked failed.
 */
export async function extractWindow(job: WindowExtraction): Promise<void> {
  const { db, run, window } = job;
  const modelId = job.engine.modelId ?? run.modelId;
  const running: WindowRecord = {
    ...window,
    status: 'running',
    error: null,
    startedAt: job.now(),
    finishedAt: null,
    attempts: window.attempts + 1,
  };
  await save(job, running);

  const records = (memories: readonly ExtractedMemory[], id: (position: number) => string) =>
    toRecords(memories, run, window, modelId, job.now(), id);
  let result: ExtractResult;
  let promptWindow: PromptWindow;
  try {
    promptWindow = promptWindowOf(window, job.conversation);
    const streamed = streamProvisional(job, promptWindow, (memories, offset) =>
      records(memories, (i) => provisionalMemoryId(run.id, window.index, offset + i)),
    );
    result = await job.engine.extract(buildPrompt(promptWindow, run.settings.promptVariant), {
      maxTokens: window.maxTokens,
      signal: job.signal,
      onText: streamed,
    });
  } catch (error) {
    await clearProvisional(job);
    await save(
      job,
      job.signal.aborted
        ? { ...running, status: 'pending', startedAt: null }
        : { ...running, status: 'failed', error: errorText(error), finishedAt: job.now() },
    );
    return;
  }
  if (result.finishReason === 'abort' || job.signal.aborted) {
    await clearProvisional(job);
    await save(job, { ...running, status: 'pending', startedAt: null });
    return;
  }

  const parsed = parseAnswer(result.text);
  const normalized = normalizeMemories(parsed.memories, promptWindow);
  const memories = records(normalized.memories, (position) =>
    memoryId(run.id, window.index, position),
  );
  const verdict = answerVerdict(parsed, result.finishReason);
  const committed: WindowRecord = {
    ...running,
    status: verdict.kind === 'accepted' ? 'done' : 'incomplete',
    rawAnswer: result.text,
    finishReason: result.finishReason,
    usage: result.usage,
    timings: result.timings,
    error: verdictText(verdict, window.maxTokens, memories.length),
    memoryCount: memories.length,
    rejected: [
      ...parsed.rejected,
      ...normalized.dropped.map((dropped) => ({ raw: dropped.memory, reason: dropped.reason })),
    ],
    finishedAt: job.now(),
  };
  const { run: updatedRun, relinked } = await commitWindow(db, committed, memories);
  await job.publish({
    type: 'window-committed',
    runId: run.id,
    windowIndex: window.index,
    memories,
    relinked,
  });
  await job.publish({ type: 'windows', windows: [committed] });
  await job.publish({ type: 'run', run: updatedRun, runningHere: true });
}

/** The app's words for an answer that was not accepted (shown on the window), or null. */
function verdictText(verdict: AnswerVerdict, maxTokens: number, kept: number): string | null {
  switch (verdict.kind) {
    case 'accepted':
      return null;
    case 'cut-off':
      return `The answer reached its ${maxTokens}-token limit before it ended; its ${kept} complete memories are kept.`;
    case 'malformed':
      return verdict.error;
    case 'unfinished':
      return 'The answer ended before its JSON closed.';
  }
}

async function save(job: WindowExtraction, window: WindowRecord): Promise<void> {
  await putWindow(job.db, window);
  await job.publish({ type: 'windows', windows: [window] });
}

const clearProvisional = (job: WindowExtraction) =>
  job.publish({
    type: 'provisional',
    runId: job.run.id,
    windowIndex: job.window.index,
    memories: [],
  });

/**
 * The `onText` handler: each memory the streaming parser completes is published at once as a
 * provisional memory, and the answer's length at most every LIVE_INTERVAL_MS.
 */
function streamProvisional(
  job: WindowExtraction,
  promptWindow: PromptWindow,
  toProvisional: (memories: readonly ExtractedMemory[], offset: number) => MemoryRecord[],
): (textSoFar: string) => void {
  const { run, window } = job;
  const parser = new StreamingAnswerParser();
  let provisional: MemoryRecord[] = [];
  let lastLive = 0;
  return (textSoFar) => {
    const fresh = parser.push(textSoFar);
    if (fresh.length > 0) {
      const normalized = normalizeMemories(fresh, promptWindow).memories;
      provisional = provisional.concat(toProvisional(normalized, provisional.length));
      void job.publish({
        type: 'provisional',
        runId: run.id,
        windowIndex: window.index,
        memories: provisional,
      });
    }
    // Wall-clock pacing of a progress display, not a recorded time: `job.now` is for records.
    const now = Date.now();
    if (fresh.length > 0 || now - lastLive >= LIVE_INTERVAL_MS) {
      lastLive = now;
      void job.publish({
        type: 'live',
        live: {
          runId: run.id,
          windowIndex: window.index,
          answerChars: textSoFar.length,
          memoriesSoFar: provisional.length,
        },
      });
    }
  };
}

function toRecords(
  memories: readonly ExtractedMemory[],
  run: RunRecord,
  window: WindowRecord,
  modelId: string,
  createdAt: number,
  id: (position: number) => string,
): MemoryRecord[] {
  return memories.map((memory, position) => ({
    ...memory,
    id: id(position),
    conversationId: window.conversationId,
    runId: run.id,
    windowIndex: window.index,
    modelId,
    origin: run.engineKind === 'replay' ? 'recorded' : 'extracted',
    edited: false,
    createdAt,
  }));
}

function promptWindowOf(window: WindowRecord, conversation: Conversation | null): PromptWindow {
  if (!conversation) {
    throw new Error('The conversation of this window was deleted; it cannot be extracted.');
  }
  const byId = new Map(conversation.messages.map((message) => [message.id, message]));
  const messages = window.messageIds.map((id) => {
    const message = byId.get(id);
    // A message cut to fit the context goes out as it was cut when the run was planned.
    return message && window.cut?.messageId === id
      ? { ...message, text: window.cut.text }
      : message;
  });
  if (messages.some((message) => message === undefined)) {
    throw new Error('The conversation of this window changed since the run was planned.');
  }
  return {
    index: window.windowInConversation,
    messages: messages as Message[],
    overlap: window.overlap,
  };
}
