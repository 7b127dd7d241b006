import type { ModelRecord } from '@mlc-ai/web-llm';
import { z } from 'zod';

import { webllmModelBaseUrl } from '../catalog/modelUrls';

/** WebLLM's Cache Storage buckets (its default "cache" backend), keyed by file URL. */
export const webllmCacheNames = {
  config: 'webllm/config',
  model: 'webllm/model',
  wasm: 'webllm/wasm',
} as const;

export type WebllmCacheName = keyof typeof webllmCacheNames;

/** WebLLM 0.2.86 reads this name; MLC builds before 2025 wrote the same JSON as `ndarray-cache.json`. */
export const tensorCacheFile = 'tensor-cache.json';
export const legacyTensorCacheFile = 'ndarray-cache.json';
export const chatConfigFile = 'mlc-chat-config.json';

export const tensorCacheSchema = z.looseObject({
  records: z.array(z.looseObject({ dataPath: z.string(), nbytes: z.number() })),
});
export type TensorCache = z.infer<typeof tensorCacheSchema>;

/** One file WebLLM will look up in its cache, and where it lives in the model folder. */
export interface CachedFile {
  /** Path inside the model folder (or the library URL for the `.wasm`). */
  path: string;
  cache: WebllmCacheName;
  /** The cache key: the URL WebLLM asks for. */
  key: string;
  /** Exact size when the tensor cache lists it. */
  bytes: number | null;
}

/** A file WebLLM fetches from the model's base URL. */
function modelFileEntry(record: ModelRecord, path: string, cache: CachedFile['cache']): CachedFile {
  return { path, cache, key: new URL(path, webllmModelBaseUrl(record.model)).href, bytes: null };
}

export function chatConfigEntry(record: ModelRecord): CachedFile {
  return modelFileEntry(record, chatConfigFile, 'config');
}

export function tensorCacheEntry(record: ModelRecord): CachedFile {
  return modelFileEntry(record, tensorCacheFile, 'model');
}

export function libraryEntry(record: ModelRecord): CachedFile {
  return { path: record.model_lib, cache: 'wasm', key: record.model_lib, bytes: null };
}

/** WebLLM reads `tokenizer.json` when the config lists it, else `tokenizer.model`. */
export function tokenizerFile(tokenizerFiles: readonly string[] | undefined): string {
  return tokenizerFiles?.includes('tokenizer.json') || !tokenizerFiles?.includes('tokenizer.model')
    ? 'tokenizer.json'
    : 'tokenizer.model';
}

/** Every file of the model in the order they are installed: small ones first, library last. */
export function modelFiles(
  record: ModelRecord,
  tensorCache: TensorCache,
  tokenizerFiles: readonly string[] | undefined,
): CachedFile[] {
  const base = webllmModelBaseUrl(record.model);
  const tokenizer = tokenizerFile(tokenizerFiles);
  return [
    chatConfigEntry(record),
    tensorCacheEntry(record),
    { path: tokenizer, cache: 'model', key: new URL(tokenizer, base).href, bytes: null },
    ...tensorCache.records.map((shard): CachedFile => ({
      path: shard.dataPath,
      cache: 'model',
      key: new URL(shard.dataPath, base).href,
      bytes: shard.nbytes,
    })),
    libraryEntry(record),
  ];
}

export function weightBytes(tensorCache: TensorCache): number {
  return tensorCache.records.reduce((sum, shard) => sum + shard.nbytes, 0);
}
