import path from 'node:path';

import * as ort from 'onnxruntime-node';

import { MINILM_MAX_TOKENS, MINILM_MODEL, MiniLmEmbedder } from '../../src/engine/embeddings';
import { miniLmStandIn, standInModelFile } from '../../tests/support/miniLmStandIn';
import { wordPieceIds } from '../../tests/support/standInTokens';
import type { Figure } from '../lib/figures';
import { benchEmbeddingBrowser } from './embeddingBrowser';

/** The CLI's batch (MiniLmEmbedder's default); the browser's worker embeds 16 at a time. */
const BATCH = 32;
/** all-MiniLM-L6-v2's vocabulary size: the stand-in's takes the texts' words up to it. */
const REAL_VOCABULARY = 30_522;
/** The browser's single WebAssembly thread is slower: fewer texts keep the part short. */
const BROWSER_TEXTS = 128;

/** One batch as the model's three inputs, padded to its longest text. */
function batchFeeds(ids: number[][]): Record<string, ort.Tensor> {
  const columns = Math.max(...ids.map((row) => row.length));
  const inputIds = new BigInt64Array(ids.length * columns);
  const mask = new BigInt64Array(ids.length * columns);
  ids.forEach((row, r) =>
    row.forEach((id, c) => {
      inputIds[r * columns + c] = BigInt(id);
      mask[r * columns + c] = 1n;
    }),
  );
  const dims = [ids.length, columns];
  return {
    input_ids: new ort.Tensor('int64', inputIds, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length * columns), dims),
  };
}

/**
 * The model's own rate: `texts` through MiniLmEmbedder (transformers.js's tokenizer, the model on
 * onnxruntime-node, mean pooling, L2) against a bare loop calling an ONNX Runtime session of the
 * same file on the same batches, tokenized beforehand. all-MiniLM-L6-v2 cannot be downloaded on the
 * bench machine, so both run the tests' same-shape stand-in (random weights, the real layers and
 * sizes, q8), its vocabulary the texts' words (up to the real model's 30,522): each word one token, as common words are in the
 * real vocabulary (rarer ones take 2–3 there, so real texts run a little longer).
 */
export async function benchEmbeddingModel(
  log: (line: string) => void,
  texts: readonly string[],
): Promise<Figure[]> {
  const standIn = await miniLmStandIn({ texts, words: REAL_VOCABULARY, seed: 7 });
  const embedder = new MiniLmEmbedder({
    localModelPath: standIn.root,
    offline: true,
    batchSize: BATCH,
  });
  const session = await ort.InferenceSession.create(
    path.join(standIn.root, MINILM_MODEL, standInModelFile),
  );
  const tokenized = texts.map((text) =>
    wordPieceIds(text || ' ', standIn.vocabulary, MINILM_MAX_TOKENS),
  );
  await embedder.embed(texts.slice(0, BATCH));
  await session.run(batchFeeds(tokenized.slice(0, BATCH)));

  // Turn about, a few batches each and each side first every other round, so both see the same
  // load on a shared machine and neither always follows the other's spinning threads.
  let embedderSeconds = 0;
  let bareSeconds = 0;
  const round = BATCH * 4;
  for (let start = 0; start < texts.length; start += round) {
    const end = Math.min(start + round, texts.length);
    const feeds: Record<string, ort.Tensor>[] = [];
    for (let batch = start; batch < end; batch += BATCH) {
      feeds.push(batchFeeds(tokenized.slice(batch, Math.min(batch + BATCH, end))));
    }
    const throughEmbedder = async () => {
      const started = performance.now();
      await embedder.embed(texts.slice(start, end));
      embedderSeconds += (performance.now() - started) / 1000;
    };
    const bare = async () => {
      const started = performance.now();
      for (const batch of feeds) await session.run(batch);
      bareSeconds += (performance.now() - started) / 1000;
    };
    const [first, second] =
      (start / round) % 2 === 0 ? [throughEmbedder, bare] : [bare, throughEmbedder];
    await first();
    await second();
  }
  await session.release();

  const count = texts.length;
  const tokens = tokenized.reduce((sum, ids) => sum + ids.length, 0) / tokenized.length;
  log(
    `embedded ${count} memories with the all-MiniLM-L6-v2 stand-in: ${(count / embedderSeconds).toFixed(0)}/s ` +
      `through MiniLmEmbedder, ${(count / bareSeconds).toFixed(0)}/s by a bare ONNX Runtime loop ` +
      `(${tokens.toFixed(1)} tokens a memory, batches of ${BATCH})`,
  );
  const browser = await benchEmbeddingBrowser(
    log,
    standIn,
    texts.slice(0, BROWSER_TEXTS),
    count / embedderSeconds,
  );

  return [
    {
      part: 'search',
      id: 'search.modelEmbedThroughput',
      label: 'memories embedded per second by all-MiniLM-L6-v2 in Node (same-shape stand-in, q8)',
      value: count / embedderSeconds,
      unit: 'count',
      detail: `${count} synthetic memories, ${tokens.toFixed(1)} tokens each on average, batches of ${BATCH}, onnxruntime-node ${ort.env.versions.node ?? ''} (CPU); random weights with the real model's shape`,
    },
    {
      part: 'search',
      id: 'search.modelEmbedVsBareSession',
      label: 'MiniLmEmbedder vs a bare ONNX Runtime session loop over the same batches',
      value: embedderSeconds / bareSeconds,
      unit: '×',
      detail: `bare loop ${(count / bareSeconds).toFixed(0)} memories/s (inputs tokenized beforehand): the rest is tokenizing, transformers.js and pooling`,
    },
    ...browser,
  ];
}
