import { beforeEach, describe, expect, it } from 'vitest';

import type { Conversation } from '../../../../src/core/conversation';
import { loadQwen3TokenCounter } from '../../../../src/core/windows';
import { seedRecordings } from '../../../../src/engine';
import type { ExtractionEngine } from '../../../../src/engine/types';
import { conversationContentHash } from '../../../../src/store/conversations/contentHash';
import {
  getMessages,
  saveConversation,
} from '../../../../src/store/conversations/conversationRepository';
import type { DimmemDb } from '../../../../src/store/db/db';
import type { LockManagerLike } from '../../../../src/store/tabs/lockManager';
import { createGpuLock } from '../../../../src/store/tabs/gpuLock';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { loadAllMemories } from '../../../../src/store/memories/memoryRepository';
import type { RunSettings } from '../../../../src/store/db/records';
import { getRun, getWindows } from '../../../../src/store/runs/runRepository';
import type { RunServiceDeps } from '../../../../src/store/runs/runService';
import { GpuBusyError, NoEngineError } from '../../../../src/store/runs/runErrors';
import { useRunsStore } from '../../../../src/store/runs/runsStore';
import type { TabChannel, TabMessage } from '../../../../src/store/tabs/tabChannel';
import { startRunFollower } from '../../../../src/store/runs/runFollower';
import { createPublisher } from '../../../../src/store/tabs/publish';
import {
  createLockHub,
  freshDb,
  locomoConversation,
  resetStores,
  seedAnswerText,
  seedConversation,
  seedConversationText,
  until,
} from '../../../support/storeFixtures';
import { loadedReplayEngine, seedReplayEngine } from '../../../support/loadedReplayEngine';
import { testRunService } from '../../../support/testRunService';

let db: DimmemDb;
beforeEach(async () => {
  resetStores();
  db = await freshDb();
});

const bySize: Partial<RunSettings> = { budget: null };

async function store(conversation: Conversation): Promise<void> {
  await saveConversation(db, conversation, await conversationContentHash(conversation), 1);
}

/** A run service on this test's database (see testRunService). */
const service = (
  engine: ExtractionEngine | null,
  locks?: LockManagerLike,
  overrides?: Partial<RunServiceDeps>,
) => testRunService(db, engine, locks, overrides);

/**
 * Recorded-style answers for windows of a long conversation: one memory from the window's last
 * line. `script(call)` can hold a call back or make it fail.
 */
function lastLineAnswers(
  script: (call: number) => Promise<void> | 'fail' | void = () => undefined,
) {
  let calls = 0;
  return async (prompt: string) => {
    calls += 1;
    const step = script(calls);
    if (step === 'fail') return undefined;
    await step;
    const lines = [...prompt.matchAll(/\] (\d+)\.User: (.*)/g)];
    const last = lines[lines.length - 1];
    const sourceId = Number(last?.[1]);
    return JSON.stringify({
      memories: [
        {
          source_id: sourceId,
          content: `The user said: ${last?.[2]?.slice(0, 60) ?? ''}`,
          dimension: {
            memory_type: 'episodic',
            time: '',
            location: '',
            reason: '',
            purpose: '',
            keywords: ['conversation'],
          },
        },
      ],
    });
  };
}

/** An engine answering as lastLineAnswers() does that keeps the prompts it was sent. */
async function promptKeepingEngine() {
  const prompts: string[] = [];
  const answers = lastLineAnswers();
  const engine = await loadedReplayEngine(async (prompt: string) => {
    prompts.push(prompt);
    return answers(prompt);
  });
  return { engine, prompts };
}

const never = () => new Promise<void>(() => undefined);

describe('extracting the seed conversation with its recorded answer', () => {
  it('stores its 16 memories, labelled recorded, with the raw answer on the window', async () => {
    const conversation = seedConversation();
    await store(conversation);
    const engine = await seedReplayEngine();
    const handle = await service(engine).start({
      conversationIds: [conversation.id],
      settings: bySize,
    });
    const run = await handle.finished;

    expect(run.status).toBe('done');
    expect(run.totals.memoryCount).toBe(16);
    const memories = await loadAllMemories(db);
    expect(memories).toHaveLength(16);
    expect(new Set(memories.map((m) => m.origin))).toEqual(new Set(['recorded']));
    expect(memories.find((m) => m.id === `${run.id}:0:0`)?.content).toBe(
      JSON.parse(seedAnswerText()).memories[0].content,
    );
    const [window] = await getWindows(db, run.id);
    expect(window).toMatchObject({ status: 'done', finishReason: 'stop', memoryCount: 16 });
    expect(window?.rawAnswer).toBe(seedAnswerText());
    expect(useMemoriesStore.getState().memories).toHaveLength(16);
    expect(useRunsStore.getState().runs[0]?.status).toBe('done');
  });

  it('shows memories while the model is still writing, then replaces them with the committed ones', async () => {
    const conversation = seedConversation();
    await store(conversation);
    const replayEngine = await seedReplayEngine();
    const seen: { provisional: number; committed: number }[] = [];
    const engine: ExtractionEngine = {
      kind: replayEngine.kind,
      get modelId() {
        return replayEngine.modelId;
      },
      load: (...args) => replayEngine.load(...args),
      unload: () => replayEngine.unload(),
      status: () => replayEngine.status(),
      extract: (prompt, options) =>
        replayEngine.extract(prompt, {
          ...options,
          onText: (text) => {
            options.onText?.(text);
            const state = useMemoriesStore.getState();
            seen.push({ provisional: state.provisional.length, committed: state.memories.length });
          },
        }),
    };
    const run = await (
      await service(engine).start({ conversationIds: [conversation.id], settings: bySize })
    ).finished;
    const streamed = seen.map((s) => s.provisional);
    expect(Math.max(...streamed)).toBe(16);
    // Memories arrive one by one while the answer streams, before anything is committed.
    expect(new Set(streamed).size).toBeGreaterThan(10);
    expect(seen.every((s) => s.committed === 0)).toBe(true);
    expect(useMemoriesStore.getState().provisional).toEqual([]);
    expect(useMemoriesStore.getState().memories.map((m) => m.id)).toContain(`${run.id}:0:15`);
  });

  it('keeps the complete memories of an answer cut off by its token limit and marks the window incomplete', async () => {
    const conversation = seedConversation();
    await store(conversation);
    const engine = await seedReplayEngine();
    const run = await (
      await service(engine).start({
        conversationIds: [conversation.id],
        settings: { budget: null, maxTokens: 300 },
      })
    ).finished;
    const [window] = await getWindows(db, run.id);
    expect(window?.status).toBe('incomplete');
    expect(window?.finishReason).toBe('length');
    expect(window?.error).toMatch(/300-token limit/);
    const memories = await loadAllMemories(db);
    const expected = JSON.parse(seedAnswerText()).memories.map(
      (m: { content: string }) => m.content,
    );
    expect(memories.length).toBeGreaterThan(0);
    expect(memories.length).toBeLessThan(16);
    expect(memories.map((m) => m.content)).toEqual(expected.slice(0, memories.length));
    expect(run.status).toBe('done');
  });
});

describe('the verdict on an answer (the same as the CLI’s)', () => {
  it('marks a window whose answer closed in the wrong shape incomplete, with the reason', async () => {
    const conversation = seedConversation();
    await store(conversation);
    const engine = await loadedReplayEngine(
      seedRecordings(seedConversationText(), ['{"memories": "none found"}']),
    );
    const run = await (
      await service(engine).start({ conversationIds: [conversation.id], settings: bySize })
    ).finished;
    const [window] = await getWindows(db, run.id);
    expect(window).toMatchObject({ status: 'incomplete', finishReason: 'stop', memoryCount: 0 });
    expect(window?.error).toMatch(/wrong shape/);
    expect(run.status).toBe('done');
  });
});

describe('failures, pause, resume', () => {
  it('marks a failing window failed with its message, and a retry finishes the run', async () => {
    const conversation = locomoConversation();
    await store(conversation);
    let failOnce = true;
    const engine = await loadedReplayEngine(
      lastLineAnswers((call) => {
        if (call === 4 && failOnce) {
          failOnce = false;
          return 'fail';
        }
      }),
    );
    const runs = service(engine);
    const run = await (
      await runs.start({ conversationIds: [conversation.id], settings: bySize })
    ).finished;
    expect(run.status).toBe('failed');
    const windows = await getWindows(db, run.id);
    expect(windows.length).toBeGreaterThan(10);
    expect(windows.filter((w) => w.status === 'failed').map((w) => w.index)).toEqual([3]);
    expect(windows[3]?.error).toMatch(/no recorded answer/);

    const retried = await (await runs.retryFailed(run.id)).finished;
    expect(retried.status).toBe('done');
    const after = await getWindows(db, run.id);
    expect(after.every((w) => w.status === 'done')).toBe(true);
    expect(after[3]?.attempts).toBe(2);
    expect(await loadAllMemories(db)).toHaveLength(after.length);
  });

  it('resumes a run whose tab died mid-window from its first unfinished window, with no duplicates', async () => {
    const conversation = locomoConversation();
    await store(conversation);
    const hub = createLockHub();
    const firstTab = hub.client('first');
    const dying = await loadedReplayEngine(
      lastLineAnswers((call) => (call === 3 ? never() : undefined)),
    );
    const handle = await service(dying, firstTab).start({
      conversationIds: [conversation.id],
      settings: bySize,
    });
    await until(async () => (await getWindows(db, handle.runId))[2]?.status === 'running');
    const before = await loadAllMemories(db);
    expect(before.map((m) => m.windowIndex)).toEqual([0, 1]);
    firstTab.close();

    expect((await getRun(db, handle.runId))?.status).toBe('running');
    const reopened = service(await loadedReplayEngine(lastLineAnswers()), hub.client('reopened'));
    const run = await (await reopened.resume(handle.runId)).finished;

    expect(run.status).toBe('done');
    const windows = await getWindows(db, run.id);
    expect(windows.every((w) => w.status === 'done')).toBe(true);
    expect(windows.map((w) => w.attempts)).toEqual(windows.map((w) => (w.index === 2 ? 2 : 1)));
    const memories = await loadAllMemories(db);
    expect(memories).toHaveLength(windows.length);
    expect(new Set(memories.map((m) => m.messageId)).size).toBe(windows.length);
    // Finished windows were not extracted again.
    expect(memories.filter((m) => m.windowIndex < 2)).toEqual(before);
  });

  /** Starts a LoCoMo run whose second window is held mid-extraction until `release()`. */
  async function startHeldInSecondWindow() {
    const conversation = locomoConversation();
    await store(conversation);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const engine = await loadedReplayEngine(
      lastLineAnswers((call) => (call === 2 ? gate : undefined)),
    );
    const runs = service(engine);
    const handle = await runs.start({ conversationIds: [conversation.id], settings: bySize });
    await until(async () => (await getWindows(db, handle.runId))[1]?.status === 'running');
    return { runs, handle, release };
  }

  it('pauses mid-window (the window stays pending) and resumes to the end', async () => {
    const { runs, handle, release } = await startHeldInSecondWindow();
    await runs.pause(handle.runId);
    release();
    const paused = await handle.finished;
    expect(paused.status).toBe('paused');
    const windows = await getWindows(db, handle.runId);
    expect(windows.map((w) => w.status).slice(0, 3)).toEqual(['done', 'pending', 'pending']);
    expect(useMemoriesStore.getState().provisional).toEqual([]);

    const resumed = await (await runs.resume(handle.runId)).finished;
    expect(resumed.status).toBe('done');
    expect(await loadAllMemories(db)).toHaveLength(windows.length);
  });

  it('resumes a run planned with the old prompt form: unfinished windows go out in the new form, and the run says so', async () => {
    const { runs, handle, release } = await startHeldInSecondWindow();
    await runs.pause(handle.runId);
    release();
    await handle.finished;
    // Make the stored run look like one planned before prompt formats were recorded (format 1).
    const tx = db.transaction('runs', 'readwrite');
    const stored = (await tx.store.get(handle.runId))!;
    const { promptFormat: _dropped, ...oldSettings } = stored.settings;
    await tx.store.put({ ...stored, settings: oldSettings });
    await tx.done;

    const { engine, prompts } = await promptKeepingEngine();
    const windows = await getWindows(db, handle.runId);
    const resumed = await (await service(engine).resume(handle.runId)).finished;
    expect(resumed.status).toBe('done');
    expect(resumed.settings.promptFormat).toBe(2);
    expect(resumed.notices).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Planned with prompt format 1; its ${windows.length - 1} unfinished windows restarted with format 2 .*1 finished window kept its memories\\.$`,
        ),
      ),
    ]);
    expect(prompts).toHaveLength(windows.length - 1);
    for (const prompt of prompts) {
      expect(prompt).toContain('outside the JSON.\n\n========================\nInput and Overlap');
    }
    expect(await loadAllMemories(db)).toHaveLength(windows.length);
  });

  it('cancels for good but keeps what finished', async () => {
    const { runs, handle, release } = await startHeldInSecondWindow();
    await runs.cancel(handle.runId);
    release();
    const cancelled = await handle.finished;
    expect(cancelled.status).toBe('cancelled');
    expect((await loadAllMemories(db)).map((m) => m.windowIndex)).toEqual([0]);
    await expect(runs.resume(handle.runId)).rejects.toThrow(/nothing to resume/);
  });

  it('refuses to start without a model, and plans without a tokenizer by message count', async () => {
    const conversation = seedConversation();
    await store(conversation);
    await expect(
      service(null).start({ conversationIds: [conversation.id] }),
    ).rejects.toBeInstanceOf(NoEngineError);
    const plan = await service(null).plan({ conversationIds: [conversation.id] });
    expect(plan.settings.budget).toBeNull();
    expect(plan.windows).toHaveLength(1);
    expect(plan.windows[0]?.messageIds).toHaveLength(14);
    expect(plan.promptTokens).toBeNull();
  });

  it('sizes windows with the real Qwen3 tokenizer when it is available', async () => {
    const conversation = locomoConversation();
    await store(conversation);
    const plan = await service(null, undefined, { loadTokenCounter: loadQwen3TokenCounter }).plan({
      conversationIds: [conversation.id],
    });
    expect(plan.settings.budget).toEqual({ contextSize: 8192, answerReserve: 3000 });
    expect(plan.windows.every((w) => (w.promptTokens ?? Infinity) <= 8192 - 3000)).toBe(true);
    expect(plan.windows.every((w) => w.maxTokens === 8192 - (w.promptTokens ?? 0))).toBe(true);
    expect(plan.promptTokens).toBe(plan.windows.reduce((sum, w) => sum + (w.promptTokens ?? 0), 0));
  });
});

describe('a message too long for the context', () => {
  it('gets a window of its own whose prompt holds the cut text, and the stored message stays whole', async () => {
    const seed = seedConversation();
    // 6,000 CJK characters: under the model's 8000-character cut, but ~7,100 tokens.
    const long = Array.from({ length: 6000 }, (_, i) =>
      String.fromCodePoint(0x4e00 + ((i * 7919) % 20000)),
    ).join('');
    const users = seed.messages.filter((message) => message.role === 'user');
    const target = users[4]!;
    const conversation: Conversation = {
      ...seed,
      messages: seed.messages.map((message) =>
        message.id === target.id ? { ...message, text: long } : message,
      ),
    };
    await store(conversation);
    const { engine, prompts } = await promptKeepingEngine();
    const runs = service(engine, undefined, { loadTokenCounter: loadQwen3TokenCounter });
    const plan = await runs.plan({ conversationIds: [conversation.id] });
    const cutWindows = plan.windows.filter((window) => window.cut);
    expect(cutWindows).toHaveLength(1);
    expect(cutWindows[0]!.messageIds).toEqual([target.id]);
    expect(cutWindows[0]!.cut!.keptTokens).toBeLessThan(cutWindows[0]!.cut!.contentTokens);

    const run = await (await runs.start({ conversationIds: [conversation.id] })).finished;
    expect(run.status).toBe('done');
    const windows = await getWindows(db, run.id);
    const cutIndex = windows.findIndex((window) => window.cut);
    expect(windows[cutIndex]!.cut!.messageId).toBe(target.id);
    const cutPrompt = prompts[cutIndex]!;
    expect(cutPrompt).toContain(`1.User: ${windows[cutIndex]!.cut!.text}`);
    expect(cutPrompt).not.toContain(long);
    const counter = await loadQwen3TokenCounter();
    expect(counter.count(cutPrompt)).toBeLessThanOrEqual(8192 - 3000);
    // Every user message is still a source exactly once, and the stored text is untouched.
    expect(windows.flatMap((window) => window.messageIds.slice(window.overlap))).toEqual(
      users.map((message) => message.id),
    );
    const stored = await getMessages(db, conversation.id);
    expect(stored.find((message) => message.id === target.id)?.text).toBe(long);
  });
});

describe('two tabs', () => {
  it('lets only one tab use the GPU; the other takes over when the first closes', async () => {
    const conversation = locomoConversation();
    await store(conversation);
    const hub = createLockHub();
    const firstTab = hub.client('first');
    const first = service(
      await loadedReplayEngine(lastLineAnswers((c) => (c === 3 ? never() : undefined))),
      firstTab,
    );
    const second = service(await loadedReplayEngine(lastLineAnswers()), hub.client('second'));

    const handle = await first.start({ conversationIds: [conversation.id], settings: bySize });
    await until(async () => (await getWindows(db, handle.runId))[2]?.status === 'running');
    await expect(
      second.start({ conversationIds: [conversation.id], settings: bySize }),
    ).rejects.toBeInstanceOf(GpuBusyError);

    const waiting = new AbortController();
    const takeover = second.takeOverWhenFree(handle.runId, waiting.signal);
    firstTab.close();
    await takeover;

    const run = await getRun(db, handle.runId);
    expect(run?.status).toBe('done');
    const windows = await getWindows(db, handle.runId);
    expect(windows.every((w) => w.status === 'done')).toBe(true);
    expect(await loadAllMemories(db)).toHaveLength(windows.length);
  });

  it('does not take over a run the other tab finished normally', async () => {
    const conversation = seedConversation();
    await store(conversation);
    const hub = createLockHub();
    const engine = await seedReplayEngine();
    const first = service(engine, hub.client('first'));
    const second = service(engine, hub.client('second'));
    const handle = await first.start({ conversationIds: [conversation.id], settings: bySize });
    await second.takeOverWhenFree(handle.runId, new AbortController().signal);
    await handle.finished;
    expect(second.isRunningHere(handle.runId)).toBe(false);
    expect((await getRun(db, handle.runId))?.status).toBe('done');
    expect(await loadAllMemories(db)).toHaveLength(16);
  });

  it('mirrors another tab’s run, windows and memories into this tab’s stores', async () => {
    const conversation = seedConversation();
    await store(conversation);
    const engine = await seedReplayEngine();
    const sent: TabMessage[] = [];
    const recording: TabChannel = {
      post: (message) => sent.push(structuredClone(message)),
      subscribe: () => () => undefined,
      close: () => undefined,
    };
    await (
      await service(engine, undefined, { channel: recording }).start({
        conversationIds: [conversation.id],
        settings: bySize,
      })
    ).finished;
    expect(sent.some((m) => m.type === 'provisional')).toBe(true);
    expect(sent.find((m) => m.type === 'window-committed')).toMatchObject({
      memories: expect.arrayContaining([expect.objectContaining({ origin: 'recorded' })]),
    });

    // A second tab: fresh stores, fed only by what the first one broadcast.
    resetStores();
    let deliver: (message: TabMessage) => void = () => undefined;
    const incoming: TabChannel = {
      post: () => undefined,
      subscribe: (handler) => {
        deliver = handler;
        return () => undefined;
      },
      close: () => undefined,
    };
    const hub = createLockHub();
    const follower = startRunFollower({
      runService: service(engine, hub.client('follower')),
      lock: createGpuLock(hub.client('follower')),
    });
    const stopListening = createPublisher({
      db: () => Promise.resolve(db),
      channel: incoming,
    }).listen(follower.onChange);
    const runMessages = sent.filter((m) => m.type === 'run');
    for (const message of sent) {
      deliver(message);
      if (message === runMessages[1]) {
        // While the first tab runs it, this tab follows the run rather than owning it.
        expect(useRunsStore.getState().owners[(message as { run: { id: string } }).run.id]).toBe(
          'other-tab',
        );
      }
    }
    stopListening();
    follower.stop();
    expect(useMemoriesStore.getState().memories).toHaveLength(16);
    expect(useMemoriesStore.getState().provisional).toEqual([]);
    expect(useRunsStore.getState().runs[0]?.status).toBe('done');
    expect(useRunsStore.getState().owners).toEqual({});
  });
});
