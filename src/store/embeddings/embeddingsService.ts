/**
 * The browser's embeddings for the meaning route. Usage (the Ask box, src/store/ask):
 *
 *   const embeddings = appServices().embeddings; // browserEmbeddings.ts, wired in appServices.ts
 *   embeddings.status();                         // {state: 'on', modelId} | {state: 'off', reason}
 *   embeddings.fillVectors(index);               // stored vectors of the index's memories, into it
 *   await embeddings.embedQuestion(anchor, signal); // the question's vector; throws while off
 *   embeddings.embedder();                       // the loaded model for any texts, or null
 *   embeddings.subscribe(listener);              // status or stored vectors changed; unsubscribe
 *   embeddings.decline() / embeddings.allow();   // the user's choice about the model's download
 *   useEmbeddingsStore(...) + embeddingsStatusText(status) // for a status line with progress
 *
 * It starts the model once there are committed memories (unless the download was declined), then
 * keeps one vector per committed memory in the `memoryVectors` store: embedded after each change
 * of the memories (a window's commit, an edit), embedded again when the text (content, reason,
 * purpose) or the model id changes, removed when the memory is deleted.
 */
import type { Embedder } from '../../core/search/embedder';
import { memoryEmbeddingText } from '../../core/search/embedder';
import { errorText } from '../../core/errorText';
import type { MeaningRoute } from '../ask/meaningRoute';
import type { DimmemDb } from '../db/db';
import type { MemoryRecord } from '../db/records';
import type { MemoryVectorRecord } from '../db/vectorRecords';
import type { DownloadChoice } from './downloadChoice';
import { textHash } from './embeddingTextHash';
import { embeddingsStatusText, useEmbeddingsStore } from './embeddingsStore';
import type { EmbeddingsStatus } from './embeddingsStore';
import type { FileProgress } from './loadingProgress';
import { loadingProgressTracker } from './loadingProgress';
import { decodeVector, encodeVector, type VectorEncoding } from './vectorCodec';
import { planVectors, type StoredVector } from './vectorPlan';
import { deleteVectorRecords, loadAllVectorRecords, putVectorRecords } from './vectorRepository';

/** An embedder whose model loads on request (the worker in the app, a fake in tests). */
export interface LoadableEmbedder extends Embedder {
  /** Loads the model; resolves with the device it runs on (`webgpu`, `wasm`). */
  load(onProgress: (progress: FileProgress) => void): Promise<{ device: string }>;
  dispose(): void;
}

/** The committed memories and their changes (the memories store in the app). */
export interface MemorySource {
  /** null until the memories are loaded. */
  current(): readonly MemoryRecord[] | null;
  subscribe(listener: () => void): () => void;
}

export interface EmbeddingsServiceDeps {
  db: () => Promise<DimmemDb>;
  createEmbedder: () => LoadableEmbedder;
  memories: MemorySource;
  choice: DownloadChoice;
  /** How vectors are stored; `int8` by default (see vectorCodec.ts). */
  encoding?: VectorEncoding;
  /** Memories per embedding call (and per write). */
  batchSize?: number;
  /** Wait after a change of the memories before embedding, so a burst of changes is one pass. */
  settleMs?: number;
  now?: () => number;
}

/** The Ask box's meaning route (src/store/ask/meaningRoute.ts), and the user's download choice. */
export interface EmbeddingsService extends MeaningRoute {
  /** Loads the model now (also after a failure); nothing when declined. */
  start(): Promise<void>;
  decline(): void;
  allow(): Promise<void>;
  /** A memory's stored vector (decoded), when current for the loaded model. */
  vectorOf(memoryId: string): Float32Array | null;
  /**
   * The loaded model, for texts other than the memories' search texts (consolidation embeds
   * contents only); null unless ready. Its vectors are not stored.
   */
  embedder(): Embedder | null;
  /** Resolves once every committed memory's vector is stored (or the model is not ready). */
  whenIdle(): Promise<void>;
  stop(): void;
}

export function createEmbeddingsService(deps: EmbeddingsServiceDeps): EmbeddingsService {
  const store = useEmbeddingsStore;
  const encoding = deps.encoding ?? 'int8';
  const batchSize = deps.batchSize ?? 16;
  const settleMs = deps.settleMs ?? 250;
  const now = deps.now ?? (() => Date.now());
  let embedder: LoadableEmbedder | null = null;
  let starting: Promise<void> | null = null;
  let autoStarted = false;
  let stored = new Map<string, StoredVector>();
  let syncing: Promise<void> | null = null;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastMemories: readonly MemoryRecord[] | null = null;
  let stopped = false;

  const setStatus = (status: EmbeddingsStatus) => store.setState({ status });
  const bump = () => store.setState((state) => ({ vectorsVersion: state.vectorsVersion + 1 }));

  function start(): Promise<void> {
    if (deps.choice.declined()) {
      setStatus({ state: 'declined' });
      return Promise.resolve();
    }
    starting ??= load();
    return starting;
  }

  async function load(): Promise<void> {
    const track = loadingProgressTracker(now);
    setStatus({ state: 'loading', progress: { loadedBytes: 0, totalBytes: 0, secondsLeft: null } });
    let candidate: LoadableEmbedder | null = null;
    try {
      candidate = deps.createEmbedder();
      const [{ device }, records] = await Promise.all([
        candidate.load((report) => {
          if (store.getState().status.state === 'loading') {
            setStatus({ state: 'loading', progress: track(report) });
          }
        }),
        deps.db().then(loadAllVectorRecords),
      ]);
      if (stopped || store.getState().status.state !== 'loading') {
        candidate.dispose();
        return;
      }
      stored = new Map(records.map((record) => [record.memoryId, record]));
      embedder = candidate;
      setStatus({ state: 'ready', modelId: candidate.modelId, device });
      bump();
      schedule(0);
    } catch (error) {
      candidate?.dispose();
      starting = null;
      if (store.getState().status.state === 'loading') {
        setStatus({ state: 'failed', reason: errorText(error) });
      }
    }
  }

  function schedule(delay = settleMs): void {
    dirty = true;
    if (timer !== null || syncing || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      syncing = syncWhileDirty().finally(() => {
        syncing = null;
        if (dirty && embedder) schedule();
      });
    }, delay);
  }

  async function syncWhileDirty(): Promise<void> {
    const active = embedder;
    try {
      while (dirty && active && embedder === active && !stopped) {
        dirty = false;
        await syncOnce(active);
      }
    } catch (error) {
      if (embedder !== active) return;
      // The worker died or the model failed on a text: off until the user tries again.
      embedder = null;
      starting = null;
      active?.dispose();
      setStatus({ state: 'failed', reason: `embedding memories failed: ${errorText(error)}` });
    }
  }

  async function syncOnce(active: LoadableEmbedder): Promise<void> {
    const memories = deps.memories.current();
    if (!memories) return;
    const plan = planVectors(memories, stored, active.modelId);
    const db = await deps.db();
    if (plan.toDelete.length > 0) {
      await deleteVectorRecords(db, plan.toDelete);
      for (const id of plan.toDelete) stored.delete(id);
      bump();
    }
    let embedded = plan.current;
    store.setState({ embedded, waiting: plan.toEmbed.length });
    for (let start = 0; start < plan.toEmbed.length; start += batchSize) {
      // Memories changed meanwhile: plan again (deleted ones need no vector).
      if (dirty || stopped || embedder !== active) return;
      const batch = plan.toEmbed.slice(start, start + batchSize);
      const vectors = await active.embed(batch.map(({ memory }) => memoryEmbeddingText(memory)));
      const records: MemoryVectorRecord[] = batch.map(({ memory, textHash: hash }, i) => ({
        memoryId: memory.id,
        modelId: active.modelId,
        textHash: hash,
        vector: encodeVector(vectors[i]!, encoding),
        dims: active.dimensions,
      }));
      await putVectorRecords(db, records);
      for (const record of records) stored.set(record.memoryId, record);
      embedded += batch.length;
      store.setState({ embedded, waiting: plan.toEmbed.length - start - batch.length });
      bump();
    }
  }

  function onMemories(): void {
    const memories = deps.memories.current();
    if (!memories || memories === lastMemories) return;
    lastMemories = memories;
    if (embedder) schedule();
    else if (!autoStarted && memories.length > 0 && store.getState().status.state === 'off') {
      autoStarted = true;
      void start();
    }
  }
  const unsubscribeMemories = deps.memories.subscribe(onMemories);
  if (deps.choice.declined()) setStatus({ state: 'declined' });
  onMemories();

  function offReason(status: EmbeddingsStatus): string {
    return embeddingsStatusText(status);
  }

  function currentVector(memoryId: string, hash: string | null): Float32Array | null {
    const record = stored.get(memoryId);
    if (!embedder || !record || record.modelId !== embedder.modelId) return null;
    if (hash !== null && record.textHash !== hash) return null;
    return decodeVector(record.vector, record.dims);
  }

  return {
    status() {
      const { status } = store.getState();
      if (status.state === 'ready') return { state: 'on', modelId: status.modelId };
      return { state: 'off', reason: offReason(status) };
    },
    fillVectors(index) {
      if (!embedder) return;
      const modelId = embedder.modelId;
      for (const [memoryId] of stored) {
        const slot = index.slotOfId(memoryId);
        if (slot === undefined) continue;
        if (index.vectorModel === modelId && index.hasVector(slot)) continue;
        const vector = currentVector(memoryId, textHash(index.embeddingTexts[slot] ?? ''));
        if (vector) index.setVector(memoryId, vector, modelId);
      }
    },
    async embedQuestion(text, signal) {
      const active = embedder;
      if (!active) throw new Error(offReason(store.getState().status));
      const [vector] = await active.embed([text], signal);
      return vector!;
    },
    subscribe(listener) {
      return store.subscribe((state, previous) => {
        if (state.status !== previous.status || state.vectorsVersion !== previous.vectorsVersion) {
          listener();
        }
      });
    },
    start,
    decline() {
      deps.choice.setDeclined(true);
      embedder?.dispose();
      embedder = null;
      starting = null;
      setStatus({ state: 'declined' });
    },
    allow() {
      deps.choice.setDeclined(false);
      if (store.getState().status.state === 'declined') setStatus({ state: 'off' });
      return start();
    },
    vectorOf: (memoryId) => currentVector(memoryId, null),
    embedder: () => embedder,
    async whenIdle() {
      await starting;
      while (timer !== null || syncing) {
        if (syncing) await syncing;
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    stop() {
      stopped = true;
      unsubscribeMemories();
      if (timer !== null) clearTimeout(timer);
      timer = null;
      embedder?.dispose();
      embedder = null;
    },
  };
}
