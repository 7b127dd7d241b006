import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { MINILM_MODEL } from '../../src/engine/embeddings/miniLmModel';
import { miniLmStandInGraph } from './miniLmStandInGraph';
import {
  standInTokenizerFiles,
  standInVocabulary,
  vocabularyWords,
} from './miniLmStandInTokenizer';
import { writeOnnxModel } from './onnxModelWriter';
import { startRangeServer, type RangeServer } from './rangeServer';

/**
 * TEST ONLY: a stand-in for `Xenova/all-MiniLM-L6-v2` that tests write themselves, since the model
 * cannot be downloaded here: the files transformers.js asks for (`config.json`, `tokenizer.json`,
 * `tokenizer_config.json`, `onnx/model_quantized.onnx`), with the real model's inputs, outputs,
 * layers and sizes and seeded random weights (miniLmStandInGraph.ts). Its vectors mean nothing;
 * they are deterministic, and computing them costs what the real model's do.
 *
 * Written once into the system's temp folder, under a name that hashes the generator's source and
 * the vocabulary, so the unit tests, the e2e test and the bench of one checkout share one copy and
 * a changed generator writes a new one.
 */
export interface MiniLmStandIn {
  /** A folder holding `Xenova/all-MiniLM-L6-v2/…`: MiniLmEmbedder's `localModelPath`. */
  root: string;
  /** File name under the model's folder → bytes, as the Hub serves them. */
  files: Map<string, Uint8Array>;
  vocabulary: string[];
}

export const standInModelFile = 'onnx/model_quantized.onnx';
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** Texts whose words make the default vocabulary: the search fixture and the seed's memories. */
function defaultTexts(): string[] {
  return ['search/memories.jsonl', 'seed/replay-window0.json'].map((file) =>
    readFileSync(path.join(repoRoot, 'tests/fixtures', file), 'utf8'),
  );
}

function generatorHash(vocabulary: readonly string[], seed: number): string {
  const hash = createHash('sha256');
  for (const file of ['miniLmStandInGraph.ts', 'miniLmStandInTokenizer.ts', 'onnxModelWriter.ts']) {
    hash.update(readFileSync(path.join(here, file)));
  }
  hash.update(JSON.stringify({ vocabulary, seed }));
  return hash.digest('hex').slice(0, 16);
}

async function readFiles(
  folder: string,
  names: readonly string[],
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const name of names)
    files.set(name, new Uint8Array(await readFile(path.join(folder, name))));
  return files;
}

export async function miniLmStandIn(
  options: { texts?: Iterable<string>; words?: number; seed?: number } = {},
): Promise<MiniLmStandIn> {
  const seed = options.seed ?? 20_230_901;
  const vocabulary = standInVocabulary(
    vocabularyWords(options.texts ?? defaultTexts(), options.words ?? 2_000),
  );
  const root = path.join(os.tmpdir(), `dimmem-minilm-stand-in-${generatorHash(vocabulary, seed)}`);
  const folder = path.join(root, MINILM_MODEL);
  const tokenizer = Object.entries(standInTokenizerFiles(vocabulary));
  const names = [...tokenizer.map(([name]) => name), standInModelFile];
  if (existsSync(path.join(folder, standInModelFile))) {
    return { root, files: await readFiles(folder, names), vocabulary };
  }
  // Written beside, then renamed into place: a concurrent writer or a crash leaves no half model.
  const partial = `${root}.partial-${process.pid}-${Date.now()}`;
  const partialFolder = path.join(partial, MINILM_MODEL);
  await mkdir(path.join(partialFolder, 'onnx'), { recursive: true });
  for (const [name, json] of tokenizer) {
    await writeFile(path.join(partialFolder, name), JSON.stringify(json));
  }
  const model = writeOnnxModel(miniLmStandInGraph(vocabulary.length, seed));
  await writeFile(path.join(partialFolder, standInModelFile), model);
  try {
    await rename(partial, root);
  } catch (error) {
    // Another process renamed its identical copy first.
    if (!existsSync(path.join(folder, standInModelFile))) throw error;
    await rm(partial, { recursive: true, force: true });
  }
  return { root, files: await readFiles(folder, names), vocabulary };
}

/** The Hub's address of a model file, as transformers.js requests it. */
export const hubFileUrl = (name: string, origin = 'https://huggingface.co') =>
  `${origin}/${MINILM_MODEL}/resolve/main/${name}`;

/** A Hub on 127.0.0.1 serving the stand-in's files where huggingface.co serves the model's. */
export function startMiniLmHub(standIn: MiniLmStandIn): Promise<RangeServer> {
  const files = new Map(
    [...standIn.files].map(([name, bytes]) => [`/${MINILM_MODEL}/resolve/main/${name}`, bytes]),
  );
  return startRangeServer({ files });
}

/** `fetch` that sends huggingface.co's requests to `hubOrigin` (the edge MiniLmEmbedder takes). */
export function fetchThroughHub(hubOrigin: string): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return fetch(url.replace(/^https:\/\/huggingface\.co\//, `${hubOrigin}/`), init);
  };
}
