import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSearchCommand } from '../../../../src/cli/commands/search';
import type { SearchJson } from '../../../../src/cli/search/formatResults';
import { memoryEmbeddingText } from '../../../../src/core/search/embedder';
import {
  MINILM_EMBEDDER_ID,
  MINILM_MAX_TOKENS,
  MiniLmEmbedder,
} from '../../../../src/engine/embeddings';
import type { RangeServer } from '../../../support/rangeServer';
import {
  fetchThroughHub,
  miniLmStandIn,
  standInModelFile,
  startMiniLmHub,
  type MiniLmStandIn,
} from '../../../support/miniLmStandIn';
import { fixtureMemories, searchFixture } from '../../../support/searchTestData';
import { wordPieceIds } from '../../../support/standInTokens';

/**
 * all-MiniLM-L6-v2's loading and embedding path, end to end in Node, with a model of the same
 * shape that the test writes (seeded random weights: the real one cannot be downloaded here),
 * served by a Hub on 127.0.0.1 that answers where huggingface.co would.
 */
let standIn: MiniLmStandIn;
let hub: RangeServer;
let cacheDir: string;
const texts = fixtureMemories().map(memoryEmbeddingText);

beforeAll(async () => {
  standIn = await miniLmStandIn();
  hub = await startMiniLmHub(standIn);
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-minilm-hub-'));
}, 60_000);
afterAll(async () => {
  await hub?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const norm = (vector: Float32Array) => Math.hypot(...vector);
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** The vector of one text by a bare ONNX Runtime session, with the pooling written out. */
async function bareVector(session: ort.InferenceSession, text: string): Promise<Float32Array> {
  const ids = wordPieceIds(text, standIn.vocabulary, MINILM_MAX_TOKENS);
  const tensor = (values: number[]) =>
    new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
  const output = await session.run({
    input_ids: tensor(ids),
    attention_mask: tensor(ids.map(() => 1)),
    token_type_ids: tensor(ids.map(() => 0)),
  });
  const hidden = output.last_hidden_state!.data as Float32Array;
  const mean = new Float32Array(384);
  for (let token = 0; token < ids.length; token++) {
    for (let i = 0; i < 384; i++) mean[i] = mean[i]! + hidden[token * 384 + i]! / ids.length;
  }
  const length = norm(mean);
  return mean.map((value) => value / length);
}

describe('all-MiniLM-L6-v2 from a Hub, with a same-shape stand-in model', () => {
  it('downloads the four files once, then embeds the fixture memories: 384 numbers, unit length, one vector per text', async () => {
    const embedder = new MiniLmEmbedder({ cacheDir, fetch: fetchThroughHub(hub.origin) });
    const vectors = await embedder.embed(texts);
    // Each file is downloaded whole once; transformers.js first probes two of them for one byte.
    const whole = hub.requests.filter((request) => request.range === null);
    expect(whole.map((request) => request.path).sort()).toEqual(
      ['config.json', 'tokenizer.json', 'tokenizer_config.json', standInModelFile]
        .map((name) => `/Xenova/all-MiniLM-L6-v2/resolve/main/${name}`)
        .sort(),
    );
    expect(hub.requests.filter((request) => request.range !== 'bytes=0-0')).toEqual(whole);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(384);
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(Math.abs(norm(vector) - 1)).toBeLessThan(1e-5);
    }
    // Different memories, different directions (no collapse to one vector).
    expect(Math.max(...vectors.slice(1).map((vector) => cosine(vectors[0]!, vector)))).toBeLessThan(
      0.99,
    );

    // Kept in transformers.js's cache: a second embedder offline computes the same vectors.
    hub.requests.length = 0;
    const again = await new MiniLmEmbedder({ cacheDir, offline: true }).embed(texts);
    expect(hub.requests).toEqual([]);
    again.forEach((vector, i) => expect(vector).toEqual(vectors[i]));
  }, 60_000);

  it('computes what a bare ONNX Runtime pass with WordPiece, mean pooling and L2 written out computes, alone or in a batch', async () => {
    const embedder = new MiniLmEmbedder({ cacheDir, fetch: fetchThroughHub(hub.origin) });
    const session = await ort.InferenceSession.create(
      path.join(standIn.root, 'Xenova/all-MiniLM-L6-v2', standInModelFile),
    );
    const batched = await embedder.embed(texts);
    let worstAlone = 1;
    let worstBatched = 1;
    for (const [i, text] of texts.entries()) {
      const bare = await bareVector(session, text);
      const [alone] = await embedder.embed([text]);
      worstAlone = Math.min(worstAlone, cosine(alone!, bare));
      worstBatched = Math.min(worstBatched, cosine(batched[i]!, bare));
    }
    // Alone, the same numbers up to float rounding (measured 0.9999997). In a batch, padding to the
    // longest text changes the activations' dynamic quantization range a little (0.99999).
    expect(worstAlone).toBeGreaterThan(0.99999);
    expect(worstBatched).toBeGreaterThan(0.9999);
    await session.release();
  }, 60_000);

  it('cuts a long text at 256 tokens as sentence-transformers does: 254 of its tokens, then [SEP]', async () => {
    const embedder = new MiniLmEmbedder({ cacheDir, fetch: fetchThroughHub(hub.origin) });
    const words = ['paris', 'louvre', 'croissants', 'trip'];
    const long = Array.from({ length: 320 }, (_, i) => words[i % 4]).join(' ');
    const first254 = long.split(' ').slice(0, 254).join(' ');
    const first200 = long.split(' ').slice(0, 200).join(' ');
    const [cut, kept, shorter] = await Promise.all(
      [long, first254, first200].map(async (text) => (await embedder.embed([text]))[0]!),
    );
    expect(cosine(cut!, kept!)).toBeGreaterThan(0.999999);
    expect(cosine(cut!, shorter!)).toBeLessThan(0.9999);
  }, 60_000);

  it('`search` ranks with the meaning route on and caches the vectors beside the file, with the model id', async () => {
    const file = path.join(cacheDir, 'memories.jsonl');
    await copyFile(searchFixture, file);
    const search = createSearchCommand({
      embedder: () => new MiniLmEmbedder({ cacheDir, fetch: fetchThroughHub(hub.origin) }),
    });
    let stdout = '';
    const io = { out: (text: string) => void (stdout += text), note: () => undefined };
    await search.run([file, 'When did I go to Paris?', '--asked-on', '2023-09-10', '--json'], io);
    const json = JSON.parse(stdout) as SearchJson;
    expect(json.routes).toMatchObject({ minilm: true, minilmOff: null });
    expect(json.results.filter((hit) => hit.routes.some((r) => r.route === 'minilm'))).toHaveLength(
      15,
    );
    const header = JSON.parse(await readFile(`${file}.vectors.json`, 'utf8')) as {
      model: string;
      rows: unknown[];
    };
    expect(header.model).toBe(MINILM_EMBEDDER_ID);
    expect(header.rows).toHaveLength(texts.length);
    expect((await stat(`${file}.vectors.bin`)).size).toBe(texts.length * 384 * 4);
  }, 60_000);
});
