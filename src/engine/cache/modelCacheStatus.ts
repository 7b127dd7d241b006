import type { ModelRecord } from '@mlc-ai/web-llm';

import { webllmModelBaseUrl } from '../catalog/modelUrls';
import {
  chatConfigEntry,
  libraryEntry,
  modelFiles,
  tensorCacheEntry,
  tensorCacheSchema,
  webllmCacheNames,
} from './modelCacheLayout';

export type CacheState = 'absent' | 'partial' | 'complete';

export interface ModelCacheStatus {
  state: CacheState;
  /** Bytes of weights already stored (exact when the tensor list is cached). */
  storedBytes: number;
  /** All weight bytes, when the tensor list is cached. */
  totalBytes: number | null;
  filesStored: number;
  /** Null when the file list is not known yet (no tensor list cached). */
  filesTotal: number | null;
}

async function has(caches: CacheStorage, cacheName: string, key: string): Promise<boolean> {
  const cache = await caches.open(cacheName);
  return (await cache.match(new Request(key))) !== undefined;
}

async function keysUnder(caches: CacheStorage, cacheName: string, prefix: string) {
  const cache = await caches.open(cacheName);
  const requests = await cache.keys();
  return { cache, requests: requests.filter((request) => request.url.startsWith(prefix)) };
}

/**
 * What of a model is in WebLLM's cache: nothing, everything, or part of it (an interrupted
 * download, a cleared shard). "Partial" is what WebLLM itself cannot recover from gracefully.
 */
export async function inspectModelCache(
  record: ModelRecord,
  caches: CacheStorage,
): Promise<ModelCacheStatus> {
  const base = webllmModelBaseUrl(record.model);
  const stored = [
    ...(await keysUnder(caches, webllmCacheNames.config, base)).requests,
    ...(await keysUnder(caches, webllmCacheNames.model, base)).requests,
  ];
  const tensorFile = tensorCacheEntry(record);
  const tensorResponse = await (
    await caches.open(webllmCacheNames.model)
  ).match(new Request(tensorFile.key));
  if (!tensorResponse) {
    const state: CacheState = stored.length === 0 ? 'absent' : 'partial';
    return {
      state,
      storedBytes: 0,
      totalBytes: null,
      filesStored: stored.length,
      filesTotal: null,
    };
  }
  const parsed = tensorCacheSchema.safeParse(await tensorResponse.json().catch(() => null));
  if (!parsed.success) {
    return {
      state: 'partial',
      storedBytes: 0,
      totalBytes: null,
      filesStored: stored.length,
      filesTotal: null,
    };
  }
  const configResponse = await (
    await caches.open(webllmCacheNames.config)
  ).match(new Request(chatConfigEntry(record).key));
  const config = (await configResponse?.json().catch(() => null)) as {
    tokenizer_files?: string[];
  } | null;
  const files = modelFiles(record, parsed.data, config?.tokenizer_files);
  let filesStored = 0;
  let storedBytes = 0;
  let totalBytes = 0;
  for (const file of files) {
    totalBytes += file.bytes ?? 0;
    if (await has(caches, webllmCacheNames[file.cache], file.key)) {
      filesStored += 1;
      storedBytes += file.bytes ?? 0;
    }
  }
  const state: CacheState = filesStored === files.length ? 'complete' : 'partial';
  return { state, storedBytes, totalBytes, filesStored, filesTotal: files.length };
}

/**
 * Removes this model's entries only (everything under its URL, and its library when asked):
 * unlike WebLLM's `deleteModelAllInfoInCache`, it works when the tensor list itself is missing.
 * The library is shared by every model of the same quantization, so it stays by default.
 */
export async function deleteModelFromCache(
  record: ModelRecord,
  caches: CacheStorage,
  { includeLibrary = false }: { includeLibrary?: boolean } = {},
): Promise<number> {
  const base = webllmModelBaseUrl(record.model);
  let removed = 0;
  for (const name of [webllmCacheNames.config, webllmCacheNames.model]) {
    const { cache, requests } = await keysUnder(caches, name, base);
    for (const request of requests) if (await cache.delete(request)) removed += 1;
  }
  if (includeLibrary) {
    const cache = await caches.open(webllmCacheNames.wasm);
    if (await cache.delete(new Request(libraryEntry(record).key))) removed += 1;
  }
  return removed;
}
