import { WorkerEmbedder } from '../../engine/embeddings/worker/workerEmbedder';
import type { DimmemDb } from '../db/db';
import { useMemoriesStore } from '../memories/memoriesStore';
import { localDownloadChoice } from './downloadChoice';
import { createEmbeddingsService, type EmbeddingsService } from './embeddingsService';

/** The page's embeddings: all-MiniLM-L6-v2 in a worker, vectors in the app's database. */
export function createBrowserEmbeddingsService(db: () => Promise<DimmemDb>): EmbeddingsService {
  return createEmbeddingsService({
    db,
    createEmbedder: () => {
      if (typeof Worker === 'undefined') {
        throw new Error('this browser cannot start a Web Worker for the model');
      }
      return new WorkerEmbedder();
    },
    memories: {
      current: () => {
        const { loaded, memories } = useMemoriesStore.getState();
        return loaded ? memories : null;
      },
      subscribe: (listener) => useMemoriesStore.subscribe(listener),
    },
    choice: localDownloadChoice,
  });
}
