import type { DimmemDb } from '../../../../src/store/db/db';
import type { MemoryRecord } from '../../../../src/store/db/records';
import type { DownloadChoice } from '../../../../src/store/embeddings/downloadChoice';
import type {
  EmbeddingsService,
  EmbeddingsServiceDeps,
  LoadableEmbedder,
} from '../../../../src/store/embeddings/embeddingsService';
import { createEmbeddingsService } from '../../../../src/store/embeddings/embeddingsService';
import { useEmbeddingsStore } from '../../../../src/store/embeddings/embeddingsStore';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { seedMemories } from '../../../support/filterTestData';
import { FakeEmbedder } from '../../../support/searchFakeEmbedder';

/** The seed conversation's memories as the app stores them after its window 0 committed. */
export function seedRecords(runId = 'run-1', windowIndex = 0): MemoryRecord[] {
  return seedMemories().map((memory, position) => ({
    ...memory,
    keywords: [...memory.keywords],
    edited: false,
    runId,
    windowIndex,
    modelId: 'DimMem-4B',
    origin: 'extracted',
    createdAt: 1_700_000_000_000 + position,
    sourceIdInWindow: position + 1,
  }));
}

/** The fake hashing embedder with a model to load: counts loads, can be told to fail. */
export class LoadableFakeEmbedder extends FakeEmbedder implements LoadableEmbedder {
  loads = 0;
  disposed = false;
  constructor(
    modelId?: string,
    public failWith: string | null = null,
  ) {
    super(modelId);
  }
  async load(onProgress: (progress: { file: string; loaded: number; total: number }) => void) {
    this.loads += 1;
    onProgress({ file: 'onnx/model_quantized.onnx', loaded: 11_500_000, total: 23_000_000 });
    if (this.failWith) throw new Error(this.failWith);
    onProgress({ file: 'onnx/model_quantized.onnx', loaded: 23_000_000, total: 23_000_000 });
    return { device: 'wasm' };
  }
  dispose() {
    this.disposed = true;
  }
}

export function memoryChoice(declined = false): DownloadChoice & { value: boolean } {
  return {
    value: declined,
    declined() {
      return this.value;
    },
    setDeclined(value) {
      this.value = value;
    },
  };
}

/** A service on the app's memories store, as browserEmbeddings.ts makes it, with a fake model. */
export function serviceFor(
  db: DimmemDb,
  embedder: LoadableEmbedder,
  choice: DownloadChoice = memoryChoice(),
  overrides: Partial<EmbeddingsServiceDeps> = {},
): EmbeddingsService {
  return createEmbeddingsService({
    db: async () => db,
    createEmbedder: () => embedder,
    memories: {
      current: () =>
        useMemoriesStore.getState().loaded ? useMemoriesStore.getState().memories : null,
      subscribe: (listener) => useMemoriesStore.subscribe(listener),
    },
    choice,
    settleMs: 0,
    batchSize: 4,
    ...overrides,
  });
}

export function resetEmbeddingsStore(): void {
  useEmbeddingsStore.setState({
    status: { state: 'off' },
    embedded: 0,
    waiting: 0,
    vectorsVersion: 0,
  });
}
