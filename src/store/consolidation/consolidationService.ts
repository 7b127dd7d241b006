import { errorText } from '../../core/errorText';
import type { Embedder } from '../../core/search/embedder';
import type { AnswerModelChoice } from '../ask/answerModel';
import { isUnavailable } from '../ask/answerModel';
import type { GpuWatch } from '../ask/gpuWatch';
import { waitUntilGpuFree } from '../ask/gpuWatch';
import type { ReviewPairRecord } from '../db/consolidationRecords';
import { isCurrentMemory } from '../memories/memoriesStore';
import { getMemories } from '../memories/memoryRepository';
import type { ServiceDeps } from '../tabs/publish';
import { acceptanceWrite } from './acceptance';
import type { ReviewPair } from './consolidationStore';
import { useConsolidationStore, writeAutoMergeExact } from './consolidationStore';
import { decidePair, failedPair } from './pairDecision';
import { latestRun } from './latestRun';
import type { DetectionRunner } from './pairDetector';
import { createPairDetector } from './pairDetector';
import { detectIntoQueue } from './queueDetection';
import type { VersionChange } from './versionRepository';
import {
  commitConsolidations,
  keptPair,
  putReviewPairs,
  setMemoryPinned,
  undoConsolidation,
} from './versionRepository';

/** The review queue's work: detection, decisions by a model, and the user's answers. */
export interface ConsolidationService {
  /**
   * Pairs among CURRENT memories into the review queue; with `autoMergeExact`, exact and
   * near-exact duplicates (rule pairs) are merged at once. A detection started while another runs
   * replaces it (the older one is cancelled); the promise resolves when the latest is done.
   * Failures land in the store's `error`.
   */
  detect(): Promise<void>;
  /**
   * Asks the answer model for the undecided (and failed) pairs, best first; waits while a run
   * holds the GPU (for a model on this browser's GPU). Proposals only: nothing changes until
   * accepted. Failures land in the pair (`failed`, `error`) or the store's `error`.
   */
  decide(signal?: AbortSignal): Promise<void>;
  /** Stops `decide` (the pair being decided stays undecided). */
  stop(): void;
  /**
   * Applies a pair's proposal (or, with `edit`, the person's text): a new memory, originals kept
   * as its earlier versions, then detects again so the new memory can pair with others (chains
   * resolve over accepts, as over the CLI's passes). Throws (and sets the store's `error`) when it
   * cannot.
   */
  accept(pairId: string, edit?: { content: string }): Promise<void>;
  /** The two memories stay apart; the pair is not shown again. */
  keepBoth(pairId: string): Promise<void>;
  /**
   * Accepts every pair whose proposal (or rule) is MERGE, skipping pinned and edited memories;
   * then detects again, once.
   */
  acceptAllMerges(): Promise<void>;
  /** A merged or superseding memory goes; its originals are current again (and kept apart). */
  undo(memoryId: string): Promise<void>;
  /** A pinned memory is never changed automatically. */
  setPinned(memoryId: string, pinned: boolean): Promise<void>;
  /** The setting; turning it on merges the exact duplicates found now. */
  setAutoMergeExact(on: boolean): void;
}

export interface ConsolidationServiceDeps extends ServiceDeps {
  /** The model that decides (`currentAnswerModel`), asked each time `decide` starts. */
  answerModel: () => AnswerModelChoice;
  /** Whether a run holds this browser's GPU (`runsGpuWatch`). */
  gpu: GpuWatch;
  /**
   * all-MiniLM-L6-v2 when loaded (`embeddings.embedder()`), for the candidates' contents; absent
   * or null: similarity is lexical.
   */
  embedder?: () => Embedder | null;
  /**
   * Where detection runs: the page passes the detection worker (`detectionWorker.detect`), so the
   * page stays responsive; absent, in this thread (Node, tests).
   */
  runDetection?: DetectionRunner;
  now: () => number;
}

export function createConsolidationService(deps: ConsolidationServiceDeps): ConsolidationService {
  const store = () => useConsolidationStore.getState();
  let deciding: AbortController | null = null;
  const detectPairs = createPairDetector(deps.embedder, deps.runDetection);

  async function publishVersions(change: VersionChange): Promise<void> {
    if (change.memories.length > 0 || change.removedMemoryIds.length > 0)
      await deps.publish({
        type: 'memory-versions',
        memories: change.memories,
        removedIds: change.removedMemoryIds,
      });
    if (change.removedPairIds.length > 0 || change.keptPairs.length > 0)
      await deps.publish({
        type: 'consolidation-pairs',
        put: change.keptPairs,
        removedIds: change.removedPairIds,
      });
  }

  /** Runs a user action; its failure is also shown in the store. */
  async function reported<T>(action: () => Promise<T>): Promise<T> {
    try {
      store().patch({ error: null });
      return await action();
    } catch (error) {
      store().patch({ error: errorText(error) });
      throw error;
    }
  }

  async function pairRecord(pairId: string): Promise<ReviewPairRecord> {
    const pair = await (await deps.db()).get('consolidationPairs', pairId);
    if (!pair || pair.status === 'kept') throw new Error(`Pair ${pairId} is not in the queue.`);
    return pair;
  }

  /** Whether a new memory was made (a KEEP_BOTH proposal keeps the pair apart instead). */
  async function acceptPair(pair: ReviewPairRecord, edit?: { content: string }): Promise<boolean> {
    const db = await deps.db();
    const ids = [pair.olderId, pair.newerId, ...(pair.group ?? [])];
    const stored = new Map((await getMemories(db, ids)).map((memory) => [memory.id, memory]));
    const write = acceptanceWrite(pair, stored, deps.now(), edit);
    if (write === 'keep-both') {
      await keepApart(pair);
      return false;
    }
    await publishVersions(await commitConsolidations(db, [write]));
    return true;
  }

  async function keepApart(pair: ReviewPairRecord): Promise<void> {
    const kept = {
      ...keptPair({ id: pair.olderId }, { id: pair.newerId }),
      similarity: pair.similarity,
    };
    await putReviewPairs(await deps.db(), [kept]);
    await deps.publish({ type: 'consolidation-pairs', put: [kept], removedIds: [] });
  }

  /** Which model would decide now, or why none can (shown before `decide` is asked). */
  function noteModel(choice: AnswerModelChoice): void {
    if (isUnavailable(choice)) store().patch({ modelLabel: null, unavailable: choice.unavailable });
    else store().patch({ modelLabel: choice.label, unavailable: null });
  }

  const detectLatest = latestRun((signal) => {
    noteModel(deps.answerModel());
    return detectIntoQueue(
      { ...deps, detectPairs, publishVersions, phaseTaken: () => deciding !== null },
      signal,
    );
  });

  async function decideAll(controller: AbortController): Promise<void> {
    const choice = deps.answerModel();
    noteModel(choice);
    if (isUnavailable(choice)) return;
    store().patch({ error: null });
    if (choice.needsGpu && deps.gpu.busy() !== null) {
      store().patch({ phase: 'waiting-for-gpu' });
      await waitUntilGpuFree(deps.gpu, controller.signal);
    }
    const todo = store().pairs.filter(
      (pair) => pair.status === 'waiting-for-model' || pair.status === 'failed',
    );
    const startedAt = deps.now();
    store().patch({ phase: 'deciding', progress: { done: 0, total: todo.length, startedAt } });
    const db = await deps.db();
    for (const [index, queued] of todo.entries()) {
      const pair = store().pairs.find((open) => open.id === queued.id);
      if (controller.signal.aborted) return;
      // Accepted, kept apart or gone stale while earlier pairs were decided.
      const [older, newer] = await getMemories(db, [queued.olderId, queued.newerId]);
      if (pair && older && newer && isCurrentMemory(older) && isCurrentMemory(newer)) {
        const bothInOrder = older.id === pair.olderId ? [older, newer] : [newer, older];
        store().updatePairs([{ ...pair, status: 'deciding' }], []);
        let next: ReviewPairRecord;
        try {
          next = await decidePair(
            choice,
            pair,
            bothInOrder[0]!,
            bothInOrder[1]!,
            controller.signal,
          );
        } catch (error) {
          if (controller.signal.aborted) {
            store().updatePairs([pair], []);
            return;
          }
          next = failedPair(pair, `${choice.label} could not be asked: ${errorText(error)}`);
        }
        await putReviewPairs(db, [next]);
        await deps.publish({ type: 'consolidation-pairs', put: [next], removedIds: [] });
      }
      store().patch({ progress: { done: index + 1, total: todo.length, startedAt } });
    }
  }

  const service: ConsolidationService = {
    detect: detectLatest,

    async decide(signal) {
      if (deciding) return;
      const controller = new AbortController();
      deciding = controller;
      const abort = () => controller.abort();
      signal?.addEventListener('abort', abort);
      try {
        await decideAll(controller);
      } catch (error) {
        if (!controller.signal.aborted) store().patch({ error: errorText(error) });
      } finally {
        signal?.removeEventListener('abort', abort);
        deciding = null;
        store().patch({ phase: 'idle', progress: null });
      }
    },

    stop() {
      deciding?.abort();
    },

    accept: (pairId, edit) =>
      reported(async () => {
        if (await acceptPair(await pairRecord(pairId), edit)) await detectLatest();
      }),

    keepBoth: (pairId) => reported(async () => keepApart(await pairRecord(pairId))),

    acceptAllMerges: () =>
      reported(async () => {
        const db = await deps.db();
        const merges = store().pairs.filter((pair) => pair.proposal?.decision === 'MERGE');
        let merged = false;
        try {
          for (const queued of merges) {
            // An earlier merge in this loop may have taken one of its memories.
            if (!store().pairs.some((pair: ReviewPair) => pair.id === queued.id)) continue;
            const memories = await getMemories(db, [
              queued.olderId,
              queued.newerId,
              ...(queued.group ?? []),
            ]);
            if (memories.some((memory) => memory.edited || memory.pinned === true)) continue;
            if (await acceptPair(queued)) merged = true;
          }
        } finally {
          // Once for the whole batch: the new memories may pair with others.
          if (merged) await detectLatest();
        }
      }),

    undo: (memoryId) =>
      reported(async () => publishVersions(await undoConsolidation(await deps.db(), memoryId))),

    setPinned: (memoryId, pinned) =>
      reported(async () => {
        const memory = await setMemoryPinned(await deps.db(), memoryId, pinned);
        await deps.publish({ type: 'memories-upserted', memories: [memory] });
      }),

    setAutoMergeExact(on) {
      writeAutoMergeExact(on);
      store().patch({ autoMergeExact: on });
      if (on) void service.detect();
    },
  };
  return service;
}
