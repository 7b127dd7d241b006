import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { memoryEmbeddingText } from '../../src/core/search/embedder';
import { MINILM_EMBEDDER_ID, MiniLmEmbedder } from '../../src/engine/embeddings';
import { decodeVector } from '../../src/store/embeddings/vectorCodec';
import type { MiniLmStandIn } from '../support/miniLmStandIn';
import { fetchThroughHub, miniLmStandIn, startMiniLmHub } from '../support/miniLmStandIn';
import type { RangeServer } from '../support/rangeServer';
import { withTempDir } from '../support/tempDir';
import { fixtureData, resultCount, watchErrors } from './appSupport';

/**
 * Node and the browser compute the same vectors: the app's worker (transformers.js on ONNX
 * Runtime's WebAssembly) and the CLI's embedder (transformers.js on onnxruntime-node) load one
 * model from one Hub, a same-shape stand-in for all-MiniLM-L6-v2 written by the tests (the real
 * model cannot be downloaded here), and their vectors for the same memories are compared.
 */
const hubHosts = /^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)\//;
const fixtureFile = path.join(fixtureData, 'search/memories.jsonl');
const fixtureTexts = readFileSync(fixtureFile, 'utf8')
  .trim()
  .split('\n')
  .map((line) => memoryEmbeddingText(JSON.parse(line) as StoredText));

let standIn: MiniLmStandIn;
let hub: RangeServer;
test.beforeAll(async () => {
  standIn = await miniLmStandIn();
  hub = await startMiniLmHub(standIn);
});
test.afterAll(async () => {
  await hub?.close();
});

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};
const maxAbsDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
};

/** Node's vectors, by the CLI's embedder (`search` builds it the same way, batches of 32). */
function nodeVectors(texts: string[], batchSize?: number): Promise<Float32Array[]> {
  return withTempDir('dimmem-minilm-node-', (cacheDir) =>
    new MiniLmEmbedder({
      cacheDir,
      fetch: fetchThroughHub(hub.origin),
      ...(batchSize ? { batchSize } : {}),
    }).embed(texts),
  );
}

interface StoredVector {
  memoryId: string;
  modelId: string;
  dims: number;
  bytes: number[];
}
interface StoredText {
  id: string;
  content: string;
  reason: string;
  purpose: string;
}

/** The memories and their vectors as the app stored them in IndexedDB. */
function storedVectorsAndTexts(
  page: Page,
): Promise<{ vectors: StoredVector[]; memories: StoredText[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open('dimmem');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const transaction = db.transaction(['memoryVectors', 'memories']);
          const vectors = transaction.objectStore('memoryVectors').getAll();
          const memories = transaction.objectStore('memories').getAll();
          transaction.onerror = () => reject(transaction.error);
          transaction.oncomplete = () => {
            db.close();
            resolve({
              vectors: (
                vectors.result as {
                  vector: ArrayBuffer;
                  memoryId: string;
                  modelId: string;
                  dims: number;
                }[]
              ).map((record) => ({
                ...record,
                vector: undefined,
                bytes: Array.from(new Uint8Array(record.vector)),
              })),
              memories: memories.result as StoredText[],
            });
          };
        };
      }),
  );
}

/** Float vectors from the app's own worker file, spoken to in its protocol (workerProtocol.ts). */
function workerVectors(
  page: Page,
  workerUrl: string,
  texts: string[],
): Promise<{ device: string; vectors: number[][] }> {
  return page.evaluate(
    ({ url, texts }) =>
      new Promise((resolve, reject) => {
        const worker = new Worker(url, { type: 'module' });
        let device = '';
        worker.onerror = (event) => reject(new Error(event.message));
        worker.onmessage = (
          event: MessageEvent<{
            type: string;
            device?: string;
            message?: string;
            vectors?: Float32Array[];
          }>,
        ) => {
          const message = event.data;
          if (message.type === 'loaded') {
            device = message.device!;
            worker.postMessage({ type: 'embed', id: 1, texts });
          } else if (message.type === 'embedded') {
            worker.terminate();
            resolve({ device, vectors: message.vectors!.map((vector) => Array.from(vector)) });
          } else if (message.type === 'load-failed' || message.type === 'embed-failed') {
            reject(new Error(message.message));
          }
        };
        worker.postMessage({ type: 'load', fetchTimeoutMs: 15_000 });
      }),
    { url: workerUrl, texts },
  );
}

/**
 * Not bit for bit: ONNX Runtime's WebAssembly and its native build round differently, and the q8
 * model quantizes each layer's activations to 256 levels per batch, so a rounding that differs
 * moves a level. Measured on the search fixture's memories: every cosine ≥ 0.99997 and no
 * component further apart than 0.0011 with int8 storage (which alone moves a component up to half
 * a step, the largest magnitude / 254 ≈ 0.0006); 0.999996 and 0.0005 between float vectors of the
 * same batches; 0.99999 and 0.0007 between batches of 16 and 32. The bounds keep a margin of about
 * 3: cosine ≥ 0.9999, 0.003 per component (a typical component is ±0.05). And each memory's
 * browser vector is closest to its own Node vector (or one of the same text), so both rank alike.
 */
function expectAgreement(
  browser: ArrayLike<number>[],
  node: Float32Array[],
  texts: string[],
): void {
  expect(browser).toHaveLength(node.length);
  for (const [i, vector] of browser.entries()) {
    expect(cosine(vector, node[i]!)).toBeGreaterThanOrEqual(0.9999);
    expect(maxAbsDifference(vector, node[i]!)).toBeLessThanOrEqual(0.003);
    const closest = node.reduce(
      (best, other, j) => (cosine(vector, other) > cosine(vector, node[best]!) ? j : best),
      0,
    );
    expect(texts[closest]).toBe(texts[i]);
  }
}

test('the app embeds its memories with the model the Hub serves; Node computes the same vectors', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  const workerUrls: string[] = [];
  context.on('request', (request) => {
    if (/\/assets\/embeddingsWorker-[\w-]+\.js$/.test(request.url()))
      workerUrls.push(request.url());
  });
  // huggingface.co's requests go to the Hub on 127.0.0.1 (the page's policy allows only the Hub).
  await context.route(hubHosts, async (route) => {
    const url = route
      .request()
      .url()
      .replace(/^https:\/\/huggingface\.co\//, `${hub.origin}/`);
    await route.fulfill({ response: await route.fetch({ url }) });
  });
  // The search fixture's memories (accents, Chinese, dates), restored as a user restores an export.
  await page.goto('/?view=import');
  await page.getByLabel('Choose a DimMem backup or memories file').setInputFiles(fixtureFile);
  await expect(page.getByText(`Restored ${fixtureTexts.length} memories`)).toBeVisible();
  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText(`${fixtureTexts.length} memories`);

  // The meaning route turns on and ranks with the other two.
  await page.getByRole('searchbox', { name: 'Ask a question' }).fill('When did I go to Paris?');
  await expect(page.getByTestId('ask-meaning')).toHaveText('meaning route on', { timeout: 60_000 });

  // Every memory gets a stored vector (int8), of this model; the question is ranked again with them.
  await expect
    .poll(async () => (await storedVectorsAndTexts(page)).vectors.length, { timeout: 60_000 })
    .toBe(fixtureTexts.length);
  await expect(page.getByTestId('ask-status')).toContainText('routes: words, structured, meaning', {
    timeout: 30_000,
  });
  const { vectors, memories } = await storedVectorsAndTexts(page);
  const texts = new Map(memories.map((memory) => [memory.id, memoryEmbeddingText(memory)]));
  const storedTexts = vectors.map((record) => texts.get(record.memoryId)!);
  // Node's vectors as `search` computes them (batches of 32), by text.
  const node32 = await nodeVectors(fixtureTexts);
  const nodeOf = new Map(fixtureTexts.map((text, i) => [text, node32[i]!]));
  const fromNode = storedTexts.map((text) => nodeOf.get(text)!);
  const stored = vectors.map((record) => {
    expect(record.modelId).toBe(MINILM_EMBEDDER_ID);
    expect(record.dims).toBe(384);
    expect(record.bytes).toHaveLength(388);
    return decodeVector(Uint8Array.from(record.bytes).buffer, 384);
  });
  expectAgreement(stored, fromNode, storedTexts);

  // Float vectors straight from the app's worker file, for the same texts.
  expect(workerUrls.length).toBeGreaterThan(0);
  const browser = await workerVectors(page, workerUrls[0]!, fixtureTexts);
  expect(browser.device).toBe('wasm');
  // The worker embeds 16 texts a call, the CLI 32: both batchings agree with the browser's.
  expectAgreement(browser.vectors, await nodeVectors(fixtureTexts, 16), fixtureTexts);
  expectAgreement(browser.vectors, node32, fixtureTexts);
  for (const vector of browser.vectors) {
    expect(vector).toHaveLength(384);
    expect(Math.abs(Math.hypot(...vector) - 1)).toBeLessThan(1e-5);
  }
  expect(errors).toEqual([]);
});
