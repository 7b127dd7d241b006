import { describe, expect, it } from 'vitest';

import { ContentVectorCache } from '../../../../src/store/consolidation/contentVectorCache';
import { FakeEmbedder, fakeVector } from '../../../support/searchFakeEmbedder';

describe('content vectors kept for the page', () => {
  it('embeds each text once, answers repeats and duplicates from the cache, in the asked order', async () => {
    const model = new FakeEmbedder();
    const cache = new ContentVectorCache();
    const embedder = cache.through(model);
    const first = await embedder.embed(['The user lives in Berlin.', 'The user lives in Lisbon.']);
    const second = await embedder.embed([
      'The user lives in Lisbon.',
      'The user works as a nurse.',
      'The user works as a nurse.',
      'The user lives in Berlin.',
    ]);
    expect(model.embedded).toEqual([
      'The user lives in Berlin.',
      'The user lives in Lisbon.',
      'The user works as a nurse.',
    ]);
    expect(second).toEqual([
      fakeVector('The user lives in Lisbon.'),
      fakeVector('The user works as a nurse.'),
      fakeVector('The user works as a nurse.'),
      fakeVector('The user lives in Berlin.'),
    ]);
    expect(second[0]).toBe(first[1]);
    expect(embedder.modelId).toBe(model.modelId);
    expect(embedder.dimensions).toBe(model.dimensions);
  });

  it('never answers with another model’s vectors', async () => {
    const cache = new ContentVectorCache();
    const before = new FakeEmbedder('fake/v1');
    const after = new FakeEmbedder('fake/v2');
    await cache.through(before).embed(['The user lives in Berlin.']);
    await cache.through(after).embed(['The user lives in Berlin.']);
    await cache.through(after).embed(['The user lives in Berlin.']);
    expect(before.embedded).toEqual(['The user lives in Berlin.']);
    expect(after.embedded).toEqual(['The user lives in Berlin.']);
  });

  it('forgets texts no current memory has, and the least recently used beyond its limit', async () => {
    const model = new FakeEmbedder();
    const cache = new ContentVectorCache(2);
    const embedder = cache.through(model);
    await embedder.embed(['a b', 'c d', 'e f']);
    expect(cache.size).toBe(2);
    await embedder.embed(['c d', 'e f']);
    expect(model.embedded).toEqual(['a b', 'c d', 'e f']);
    await embedder.embed(['a b']);
    // 'c d' was the least recently used.
    cache.keepOnly(new Set(['a b', 'c d']));
    expect(cache.size).toBe(1);
    model.embedded = [];
    await embedder.embed(['a b', 'c d', 'e f']);
    expect(model.embedded).toEqual(['c d', 'e f']);
  });

  it('refuses an embedder that answers with too few vectors, and caches nothing of it', async () => {
    const short = new (class extends FakeEmbedder {
      override async embed(texts: readonly string[]) {
        return (await super.embed(texts)).slice(1);
      }
    })();
    const cache = new ContentVectorCache();
    await expect(cache.through(short).embed(['a b', 'c d'])).rejects.toThrow(
      'the embedder returned 1 vectors for 2 texts',
    );
    expect(cache.size).toBe(0);
  });
});
