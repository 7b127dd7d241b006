import { WorkerEmbedder } from '../../engine/embeddings/worker/workerEmbedder';
import { setMeaningRoute } from '../ask/meaningRoute';
import { getDb } from '../engine/connection';
import { useMemoriesStore } from '../memories/memoriesStore';
import { localDownloadChoice } from './downloadChoice';
import { createEmbeddingsService, type EmbeddingsService } from './embeddingsService';

let service: EmbeddingsService | null = null;

/** The page's embeddings: all-MiniLM-L6-v2 in a worker, vectors in the app's database. */
export function getEmbeddingsService(): EmbeddingsService {
  service ??= createEmbeddingsService({
    db: getDb,
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
  return service;
}

/**
 * Called once the stores are loaded (bootApp): the Ask box's meaning route becomes this service,
 * which loads the model once there are memories (unless the user declined the download).
 */
export function startBrowserEmbeddings(): EmbeddingsService {
  const embeddings = getEmbeddingsService();
  setMeaningRoute(embeddings);
  return embeddings;
}
