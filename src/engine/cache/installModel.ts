import type { ModelRecord } from '@mlc-ai/web-llm';

import { checkChatConfig } from '../catalog/chatConfig';
import type { Quantization } from '../catalog/quantization';
import { EngineError, isAbortError } from '../errors/engineError';
import { secondsLeftAt } from '../progress/timeLeft';
import type { LoadProgress } from '../types';
import type { CachedFile } from './modelCacheLayout';
import {
  chatConfigEntry,
  legacyTensorCacheFile,
  modelFiles,
  tensorCacheEntry,
  tensorCacheSchema,
  webllmCacheNames,
  weightBytes,
} from './modelCacheLayout';
import type { ModelFileSource, SourceFile } from './modelFileSource';

export interface InstallOptions {
  record: ModelRecord;
  /** The model folder. */
  source: ModelFileSource;
  /** The model library: its own URL, or a `.wasm` in a picked folder (opened with its URL). */
  librarySource: ModelFileSource;
  expectedQuantization?: Quantization;
  caches: CacheStorage;
  onProgress: (progress: LoadProgress) => void;
  signal?: AbortSignal;
  /** Bytes the browser will still store for this site; null when unknown. */
  freeBytes?: () => Promise<number | null>;
  now?: () => number;
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

async function readCached(caches: CacheStorage, file: CachedFile): Promise<Response | undefined> {
  const cache = await caches.open(webllmCacheNames[file.cache]);
  return cache.match(new Request(file.key));
}

/**
 * Streams one file into WebLLM's cache. The cache stores an entry only once its body is complete,
 * so a cancelled or failed download leaves no half file behind; a size mismatch is removed too.
 */
async function putFile(
  caches: CacheStorage,
  file: CachedFile,
  opened: SourceFile,
  onBytes: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const cache = await caches.open(webllmCacheNames[file.cache]);
  let received = 0;
  const counted = opened.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        // A picked folder's file stream knows no signal: stop it here, between chunks.
        signal?.throwIfAborted();
        received += chunk.byteLength;
        onBytes(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
  try {
    await cache.put(new Request(file.key), new Response(counted));
  } catch (error) {
    if (isQuotaError(error)) throw new EngineError('storage-full', file.path, { cause: error });
    if (signal?.aborted || isAbortError(error) || error instanceof EngineError) throw error;
    // The connection dropped mid-body: say "retry", not "the model failed".
    throw new EngineError(
      file.cache === 'wasm' ? 'model-library-unavailable' : 'model-files-unavailable',
      `${file.path}: the download stopped before the end`,
      { cause: error },
    );
  }
  if (file.bytes !== null && received !== file.bytes) {
    await cache.delete(new Request(file.key));
    throw new EngineError(
      'model-files-incomplete',
      `${file.path}: got ${received} of ${file.bytes} bytes`,
    );
  }
}

async function openRequired(source: ModelFileSource, path: string, signal?: AbortSignal) {
  const opened = await source.open(path, signal);
  if (!opened) {
    throw new EngineError('model-files-unavailable', `${path} is missing in ${source.description}`);
  }
  return opened;
}

type JsonCheck<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Reads one of the model's JSON files from the cache, downloading it first when missing. A file
 * that fails the check (a web page from a host's fallback route, another build) is removed again:
 * kept, it would fail every later try the same way, until a repair.
 */
async function ensureJson<T>(
  caches: CacheStorage,
  file: CachedFile,
  open: () => Promise<SourceFile>,
  check: (json: unknown) => JsonCheck<T>,
  signal?: AbortSignal,
): Promise<T> {
  let stored = await readCached(caches, file);
  if (!stored) {
    await putFile(caches, file, await open(), () => {}, signal);
    stored = await readCached(caches, file);
    if (!stored) throw new EngineError('model-files-incomplete', file.path);
  }
  const json: unknown = await stored.json().catch(() => undefined);
  const checked = check(json);
  if (!checked.ok) {
    const cache = await caches.open(webllmCacheNames[file.cache]);
    await cache.delete(new Request(file.key));
    throw new EngineError('model-config-invalid', checked.problem);
  }
  return checked.value;
}

/**
 * Puts every file WebLLM needs for a model into WebLLM's own cache (same buckets, same URL keys),
 * skipping what is already there. WebLLM then loads from the cache without touching the network;
 * an interrupted download resumes file by file.
 */
export async function installModel(options: InstallOptions): Promise<{ weightBytes: number }> {
  const { record, source, caches, onProgress, signal } = options;
  const now = options.now ?? (() => performance.now());

  const config = await ensureJson(
    caches,
    chatConfigEntry(record),
    () => openRequired(source, 'mlc-chat-config.json', signal),
    (json) => {
      const check = checkChatConfig(json, options.expectedQuantization);
      return check.ok ? { ok: true, value: check.config } : check;
    },
    signal,
  );

  const tensorCache = await ensureJson(
    caches,
    tensorCacheEntry(record),
    async () => {
      const opened = await source.open(tensorCacheEntry(record).path, signal);
      return opened ?? openRequired(source, legacyTensorCacheFile, signal);
    },
    (json) => {
      const parsed = tensorCacheSchema.safeParse(json);
      return parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, problem: 'tensor-cache.json does not list the weight shards' };
    },
    signal,
  );
  const files = modelFiles(record, tensorCache, config.tokenizer_files);

  const missing: CachedFile[] = [];
  for (const file of files) {
    if (!(await readCached(caches, file))) missing.push(file);
  }
  const total = weightBytes(tensorCache);
  if (missing.length === 0) {
    onProgress({
      phase: 'cache',
      fraction: 0,
      loadedBytes: 0,
      totalBytes: total,
      text: 'Already downloaded: loading from this browser’s storage.',
    });
    return { weightBytes: total };
  }

  const missingBytes = missing.reduce((sum, file) => sum + (file.bytes ?? 0), 0);
  const free = (await options.freeBytes?.()) ?? null;
  if (free !== null && free < missingBytes) {
    throw new EngineError(
      'storage-full',
      `${Math.ceil(missingBytes / 2 ** 20)} MB to download, ${Math.floor(free / 2 ** 20)} MB free`,
    );
  }

  const started = now();
  let loaded = 0;
  let done = 0;
  let lastReport = -Infinity;
  const report = (force: boolean) => {
    const time = now();
    if (!force && time - lastReport < 200) return;
    lastReport = time;
    const fraction = missingBytes > 0 ? Math.min(1, loaded / missingBytes) : done / missing.length;
    const progress: LoadProgress = {
      phase: 'download',
      fraction,
      loadedBytes: loaded,
      totalBytes: missingBytes,
      text: `Downloading file ${Math.min(done + 1, missing.length)} of ${missing.length}`,
    };
    const secondsLeft = secondsLeftAt(fraction, (time - started) / 1000);
    if (secondsLeft !== null) progress.secondsLeft = secondsLeft;
    onProgress(progress);
  };
  report(true);
  for (const file of missing) {
    if (signal?.aborted) break;
    const fromSource = file.cache === 'wasm' ? options.librarySource : source;
    const opened = await fromSource.open(file.path, signal);
    if (!opened) {
      throw new EngineError(
        file.cache === 'wasm' ? 'model-library-unavailable' : 'model-files-unavailable',
        `${file.path} is missing in ${fromSource.description}`,
      );
    }
    await putFile(
      caches,
      file,
      opened,
      (bytes) => {
        if (file.bytes !== null) loaded += bytes;
        report(false);
      },
      signal,
    );
    done += 1;
    report(true);
  }
  signal?.throwIfAborted();
  return { weightBytes: total };
}
