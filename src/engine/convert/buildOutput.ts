import type { ModelRecord } from '@mlc-ai/web-llm';

import { deleteModelFromCache } from '../cache/modelCacheStatus';
import {
  chatConfigEntry,
  libraryEntry,
  tensorCacheEntry,
  webllmCacheNames,
} from '../cache/modelCacheLayout';
import type { CachedFile } from '../cache/modelCacheLayout';
import { dimmemFolderName, webllmModelBaseUrl } from '../catalog/modelUrls';
import type { Quantization } from '../catalog/quantization';
import { BuildError } from './buildError';
import { officialCheckpoint } from './huggingFaceClient';
import type { CheckpointSource } from './huggingFaceClient';

/**
 * Where a build's output lives: WebLLM's own caches, under the keys WebLLM derives from the model
 * URL of its record. The URL is on `.invalid` (never fetched, never in the page's security policy)
 * and names the checkpoint revision, so two revisions never share a key.
 */
export const buildModelHost = 'https://dimmem-build.invalid/';

export function buildModelUrl(
  source: CheckpointSource,
  revision: string,
  quantization: Quantization,
): string {
  const official = source.hub === officialCheckpoint.hub;
  // A developer's stand-in host gets its own folder: its builds are never taken for the real one.
  const origin = official ? '' : `dev-${new URL(source.hub).host.replace(/[^a-z0-9.-]/gi, '-')}/`;
  const repo = source.repo.split('/').map(encodeURIComponent).join('/');
  return new URL(`${origin}${repo}/${revision}/${dimmemFolderName(quantization)}/`, buildModelHost)
    .href;
}

/** The parts of a catalog record the cache layout reads. */
export function outputRecord(modelUrl: string, libraryUrl: string): ModelRecord {
  return { model: modelUrl, model_id: modelUrl, model_lib: libraryUrl };
}

function modelFileEntry(modelUrl: string, path: string): CachedFile {
  return {
    path,
    cache: 'model',
    key: new URL(path, webllmModelBaseUrl(modelUrl)).href,
    bytes: null,
  };
}

async function put(caches: CacheStorage, file: CachedFile, body: BodyInit, type: string) {
  const cache = await caches.open(webllmCacheNames[file.cache]);
  try {
    await cache.put(
      new Request(file.key),
      new Response(body, { headers: { 'Content-Type': type } }),
    );
  } catch (error) {
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new BuildError('storage-full', `${file.path} could not be stored`, { cause: error });
    }
    throw error;
  }
}

async function has(caches: CacheStorage, file: CachedFile): Promise<boolean> {
  const cache = await caches.open(webllmCacheNames[file.cache]);
  return (await cache.match(new Request(file.key))) !== undefined;
}

/** One finished output shard, stored whole (Cache Storage keeps an entry only once complete). */
export async function writeShard(
  caches: CacheStorage,
  modelUrl: string,
  dataPath: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<void> {
  await put(caches, modelFileEntry(modelUrl, dataPath), bytes, 'application/octet-stream');
}

export function hasShard(caches: CacheStorage, modelUrl: string, dataPath: string) {
  return has(caches, modelFileEntry(modelUrl, dataPath));
}

export async function writeTokenizer(
  caches: CacheStorage,
  modelUrl: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<void> {
  await put(caches, modelFileEntry(modelUrl, 'tokenizer.json'), bytes, 'application/json');
}

/**
 * The two files WebLLM needs before it reads anything else; written last, chat config first and
 * `tensor-cache.json` at the very end, so an interrupted build never looks loadable.
 */
export async function writeLoadableMarkers(
  caches: CacheStorage,
  record: ModelRecord,
  chatConfig: unknown,
  tensorCache: unknown,
): Promise<void> {
  await put(caches, chatConfigEntry(record), JSON.stringify(chatConfig), 'application/json');
  await put(caches, tensorCacheEntry(record), JSON.stringify(tensorCache), 'application/json');
}

/** Downloads WebLLM's prebuilt model library into its cache unless it is there already. */
export async function ensureLibrary(
  caches: CacheStorage,
  record: ModelRecord,
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<void> {
  const file = libraryEntry(record);
  if (await has(caches, file)) return;
  let response: Response;
  try {
    response = await fetchFn(record.model_lib, { signal, cache: 'no-store' });
  } catch (error) {
    signal?.throwIfAborted();
    throw new BuildError('library-unavailable', `${record.model_lib}: network error`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new BuildError('library-unavailable', `${record.model_lib}: HTTP ${response.status}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  await put(caches, file, bytes, 'application/wasm');
}

/** Removes everything the build wrote for this model (the shared library stays). */
export async function deleteBuildOutput(caches: CacheStorage, record: ModelRecord) {
  return deleteModelFromCache(record, caches);
}
