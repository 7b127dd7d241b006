import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DimmemDb } from '../../../../src/store/db/db';
import type { EmbeddingsService } from '../../../../src/store/embeddings/embeddingsService';
import { loadAllVectorRecords } from '../../../../src/store/embeddings/vectorRepository';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { fakeVector } from '../../../support/searchFakeEmbedder';
import { freshDb, resetStores } from '../../../support/storeFixtures';
import {
  LoadableFakeEmbedder,
  memoryChoice,
  resetEmbeddingsStore,
  seedRecords,
  serviceFor,
} from './embeddingsTestSupport';

let db: DimmemDb;
let service: EmbeddingsService | null = null;

beforeEach(async () => {
  resetStores();
  resetEmbeddingsStore();
  db = await freshDb();
  useMemoriesStore.getState().setAll([]);
});
afterEach(() => {
  service?.stop();
  service = null;
});

describe('the loaded model lent for other texts', () => {
  it('is null until the model is ready, then embeds any text without storing it', async () => {
    const model = new LoadableFakeEmbedder();
    service = serviceFor(db, model);
    expect(service.embedder()).toBeNull();
    useMemoriesStore.getState().setAll(seedRecords());
    await service.start();
    await service.whenIdle();
    const stored = await loadAllVectorRecords(db);

    const embedder = service.embedder();
    expect(embedder).not.toBeNull();
    expect(embedder!.modelId).toBe(model.modelId);
    expect(embedder!.dimensions).toBe(384);
    const [vector] = await embedder!.embed(['The user lives in Lisbon.']);
    expect(vector).toEqual(fakeVector('The user lives in Lisbon.'));
    expect(await loadAllVectorRecords(db)).toEqual(stored);
  });

  it('is null once declined, when the model failed to load, and after stop', async () => {
    useMemoriesStore.getState().setAll(seedRecords());
    service = serviceFor(db, new LoadableFakeEmbedder());
    await service.start();
    expect(service.embedder()).not.toBeNull();
    service.decline();
    expect(service.embedder()).toBeNull();
    await service.allow();
    expect(service.embedder()).not.toBeNull();
    service.stop();
    expect(service.embedder()).toBeNull();

    resetEmbeddingsStore();
    service = serviceFor(db, new LoadableFakeEmbedder(undefined, 'offline'), memoryChoice());
    await service.start();
    expect(service.embedder()).toBeNull();
  });
});
