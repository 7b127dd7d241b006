import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  EmbeddingModelUnavailableError,
  MINILM_EMBEDDER_ID,
  MiniLmEmbedder,
} from '../../../../src/engine/embeddings';

/**
 * The real transformers.js loading path, up to the network boundary: the model cannot be
 * downloaded here, so `fetch` is replaced at the edge and what the library asks for is checked.
 */
let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-minilm-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('all-MiniLM-L6-v2 through transformers.js', () => {
  it('names the model, its quantization, pooling, normalisation and truncation in its id', () => {
    const embedder = new MiniLmEmbedder();
    expect(embedder.modelId).toBe(MINILM_EMBEDDER_ID);
    expect(embedder.modelId).toBe('Xenova/all-MiniLM-L6-v2@q8/mean/l2/256');
    expect(embedder.dimensions).toBe(384);
  });

  it('gives up on a host that does not answer within the deadline, and tries again on the next call', async () => {
    let calls = 0;
    const embedder = new MiniLmEmbedder({
      cacheDir,
      fetchTimeoutMs: 200,
      fetch: (_input, init) => {
        calls += 1;
        return new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error));
        });
      },
    });
    const started = Date.now();
    await expect(embedder.embed(['hello'])).rejects.toThrow(
      /no answer from huggingface\.co within 0\.2 s/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    const before = calls;
    await expect(embedder.embed(['hello'])).rejects.toThrow(EmbeddingModelUnavailableError);
    expect(calls).toBeGreaterThan(before);
  }, 60_000);

  it('names the host it could not reach, with the reason the system gave', async () => {
    const embedder = new MiniLmEmbedder({
      cacheDir,
      fetch: async () => {
        throw new TypeError('fetch failed', {
          cause: new Error('getaddrinfo ENOTFOUND huggingface.co'),
        });
      },
    });
    await expect(embedder.embed(['hello'])).rejects.toThrow(
      "Xenova/all-MiniLM-L6-v2 could not be loaded: huggingface.co could not be reached (offline, or blocked by the network or the page's policy): fetch failed: getaddrinfo ENOTFOUND huggingface.co",
    );
  }, 60_000);

  // After the timeout test: transformers.js remembers a missing file for the rest of the process.
  it('loads nothing until the first texts, then asks the Hub for the model files', async () => {
    const requested: string[] = [];
    const embedder = new MiniLmEmbedder({
      cacheDir,
      fetch: async (input) => {
        requested.push(String(input));
        return new Response('Not found', { status: 404, statusText: 'Not Found' });
      },
    });
    expect(requested).toEqual([]);
    expect(await embedder.embed([])).toEqual([]);
    expect(requested).toEqual([]);
    const failure = await embedder
      .embed(['The user went to Paris.'])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EmbeddingModelUnavailableError);
    expect((failure as Error).message).toMatch(
      /^Xenova\/all-MiniLM-L6-v2 could not be loaded: HTTP 404 from https:\/\/huggingface\.co\//,
    );
    expect(requested[0]).toMatch(
      /^https:\/\/huggingface\.co\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/(tokenizer|config|tokenizer_config)\.json$/,
    );
  }, 60_000);
  it('offline, asks no host at all', async () => {
    let calls = 0;
    const embedder = new MiniLmEmbedder({
      cacheDir,
      offline: true,
      fetch: async () => {
        calls += 1;
        return new Response('', { status: 500 });
      },
    });
    await expect(embedder.embed(['hello'])).rejects.toThrow(EmbeddingModelUnavailableError);
    expect(calls).toBe(0);
  }, 60_000);
});
