import 'fake-indexeddb/auto';

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { generateMemoryRecords } from '../../bench/browser/benchmarkHooks';
import type { Conversation } from '../../src/core/conversation';
import type { AnswerMemory } from '../../src/core/schema/answer';
import type { MemoryRecord } from '../../src/store/db/records';
import { importText } from '../../src/core/import';
import type { DimmemDb } from '../../src/store/db/db';
import { openDimmemDb } from '../../src/store/db/db';
import type { LockManagerLike, LockRequestOptions } from '../../src/store/tabs/lockManager';
import { useConsolidationStore } from '../../src/store/consolidation/consolidationStore';
import { useConversationsStore } from '../../src/store/conversations/conversationsStore';
import { useMemoriesStore } from '../../src/store/memories/memoriesStore';
import { useRunsStore } from '../../src/store/runs/runsStore';
import { useStorageStore } from '../../src/store/storage/storageStore';

export const fixtureData = path.resolve(__dirname, '../fixtures');

export const seedConversationText = () =>
  readFileSync(path.join(fixtureData, 'seed/conversation.txt'), 'utf8');
export const seedAnswerText = () =>
  readFileSync(path.join(fixtureData, 'seed/replay-window0.json'), 'utf8');

export function seedConversation(): Conversation {
  const conversation = importText('conversation.txt', seedConversationText()).conversations[0];
  if (!conversation) throw new Error('seed conversation missing');
  return conversation;
}

export function locomoConversation(file = '26.json'): Conversation {
  const text = readFileSync(path.join(fixtureData, 'locomo', file), 'utf8');
  const conversation = importText(file, text).conversations[0];
  if (!conversation) throw new Error(`${file}: no conversation`);
  return conversation;
}

// The consolidation store as a page starts it (its actions included).
const initialConsolidationState = useConsolidationStore.getState();

let counter = 0;

/** A database of its own for each test (fake-indexeddb keeps them all in this process). */
/**
 * `count` generated memory records (the benchmark's generator, seeded): the seed answer's memories
 * varied with words of one LoCoMo conversation.
 */
export function generatedRecords(count: number): MemoryRecord[] {
  const templates: AnswerMemory[] = JSON.parse(
    readFileSync(path.join(fixtureData, 'seed/replay-window0.json'), 'utf8'),
  ).memories;
  const vocabulary = readFileSync(path.join(fixtureData, 'locomo/26.json'), 'utf8')
    .match(/[A-Za-z]{5,}/g)!
    .slice(0, 5000);
  return generateMemoryRecords(count, { templates, vocabulary });
}

export function freshDb(): Promise<DimmemDb> {
  counter += 1;
  return openDimmemDb({ name: `test-${process.pid}-${counter}-${Date.now()}` });
}

export function resetStores(): void {
  useConversationsStore.setState({ conversations: [], loaded: false });
  useRunsStore.setState({ runs: [], windowsByRun: {}, owners: {}, live: null, loaded: false });
  useMemoriesStore.setState({
    memories: [],
    byId: new Map(),
    earlier: new Map(),
    provisionalByWindow: {},
    provisional: [],
    loaded: false,
  });
  useStorageStore.setState({ quotaExceeded: false, upgradeBlocked: false, problem: null });
  useConsolidationStore.setState(initialConsolidationState);
}

/**
 * Several browser tabs sharing the browser's lock manager: each `client` is one tab's
 * `navigator.locks`; `close` ends that tab, releasing what it holds as the browser does.
 */
export function createLockHub() {
  const holders = new Map<string, string>();
  const queues = new Map<string, { client: string; grant: () => void }[]>();

  const release = (name: string) => {
    holders.delete(name);
    const next = queues.get(name)?.shift();
    next?.grant();
  };

  return {
    client(id: string): LockManagerLike & { close: () => void } {
      let closed = false;
      return {
        async request<T>(
          name: string,
          options: LockRequestOptions,
          callback: (lock: { name: string } | null) => Promise<T> | T,
        ): Promise<T> {
          if (holders.has(name)) {
            if (options.ifAvailable) return callback(null);
            await new Promise<void>((resolve, reject) => {
              const queue = queues.get(name) ?? [];
              queues.set(name, queue);
              const entry = { client: id, grant: resolve };
              queue.push(entry);
              options.signal?.addEventListener('abort', () => {
                queue.splice(queue.indexOf(entry), 1);
                reject(new DOMException('Aborted', 'AbortError'));
              });
            });
          }
          holders.set(name, id);
          try {
            return await callback({ name });
          } finally {
            // A closed tab's lock was already released when it closed.
            if (!closed && holders.get(name) === id) release(name);
          }
        },
        query: () => Promise.resolve({ held: [...holders.keys()].map((name) => ({ name })) }),
        close() {
          closed = true;
          for (const [name, holder] of holders) if (holder === id) release(name);
        },
      };
    },
  };
}

/** Waits until `check` is true, yielding to pending work between tries. */
export async function until(check: () => boolean | Promise<boolean>, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('condition not reached');
}
