import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { ModelRecord } from '@mlc-ai/web-llm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { installModel } from '../../../../src/engine/cache/installModel';
import type { InstallOptions } from '../../../../src/engine/cache/installModel';
import { webllmCacheNames } from '../../../../src/engine/cache/modelCacheLayout';
import {
  deleteModelFromCache,
  inspectModelCache,
} from '../../../../src/engine/cache/modelCacheStatus';
import {
  folderFileSource,
  folderLibrarySource,
  urlFileSource,
} from '../../../../src/engine/cache/modelFileSource';
import { buildCatalog } from '../../../../src/engine/catalog/modelCatalog';
import { sourceBaseUrl, webllmModelBaseUrl } from '../../../../src/engine/catalog/modelUrls';
import type { Quantization } from '../../../../src/engine/catalog/quantization';
import { EngineError, isAbortError } from '../../../../src/engine/errors/engineError';
import type { LoadProgress } from '../../../../src/engine/types';
import type * as EngineStore from '../../../../src/store/engine';
import {
  MemoryCacheStorage,
  createFakeHost,
  fakeLibraryBytes,
  pickedFolder,
  servedAt,
  shardPath,
  tinyModelFolder,
} from '../../../support/engineCacheFake';
import type { FakeHost } from '../../../support/engineCacheFake';

const catalog = buildCatalog({
  prebuilt: prebuiltAppConfig,
  userUrl: 'https://models.example.org/DimMem-4B-{quant}-MLC',
  localFolders: [
    {
      name: 'DimMem-4B-q4f16_1-MLC',
      url: 'https://local-model.invalid/DimMem-4B-q4f16_1-MLC/',
      quantization: 'q4f16_1',
    },
  ],
});

function recordOf(sourceKind: string, quantization: Quantization): ModelRecord {
  const entry = catalog.find((e) => e.sourceKind === sourceKind && e.quantization === quantization);
  if (!entry) throw new Error(`no ${sourceKind} ${quantization} entry`);
  return entry.record;
}

const urlRecord = recordOf('user-url', 'q4f16_1');
const otherRecord = recordOf('user-url', 'q4f32_1');
const folderRecord = recordOf('local-folder', 'q4f16_1');

/** The two shards of the tiny model: 3000 and 5000 bytes. */
const shardSizes = [3000, 5000] as const;
const weightTotal = shardSizes[0] + shardSizes[1];

/** Where the host serves a record's files, and the library. */
function hostFor(...records: ModelRecord[]): FakeHost {
  const files = new Map<string, Uint8Array>();
  for (const record of records) {
    const quantization = record.model_id.includes('q4f32_1') ? 'q4f32_1' : 'q4f16_1';
    const folder = tinyModelFolder({ quantization, shardBytes: shardSizes });
    for (const [url, bytes] of servedAt(sourceBaseUrl(record.model), folder)) files.set(url, bytes);
    files.set(record.model_lib, fakeLibraryBytes);
  }
  return createFakeHost(files);
}

/** A source URL of one of the record's files on the host. */
function servedUrl(record: ModelRecord, path: string): string {
  return new URL(path, sourceBaseUrl(record.model)).href;
}

/** The key WebLLM looks the file up by. */
function cacheKey(record: ModelRecord, path: string): string {
  return new URL(path, webllmModelBaseUrl(record.model)).href;
}

/** A clock that moves 300 ms per reading, so the installer never holds back a progress report. */
function steppingClock(): () => number {
  let time = 0;
  return () => (time += 300);
}

function installFrom(
  host: FakeHost,
  caches: MemoryCacheStorage,
  record: ModelRecord,
  options: Partial<InstallOptions> = {},
) {
  const progress: LoadProgress[] = [];
  const done = installModel({
    record,
    source: urlFileSource(sourceBaseUrl(record.model), host.fetch),
    librarySource: urlFileSource(record.model_lib, host.fetch, 'model-library-unavailable'),
    expectedQuantization: record.model_id.includes('q4f32_1') ? 'q4f32_1' : 'q4f16_1',
    caches: caches.asCacheStorage(),
    onProgress: (report) => progress.push(report),
    now: steppingClock(),
    ...options,
  });
  return { done, progress };
}

async function engineErrorOf(promise: Promise<unknown>): Promise<EngineError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof EngineError)) throw new Error(`expected an EngineError, got ${error}`);
  return error;
}

let caches: MemoryCacheStorage;
beforeEach(() => {
  caches = new MemoryCacheStorage();
});

describe('downloading a model into WebLLM’s cache', () => {
  it('reports growing byte progress up to the whole download and ends complete', async () => {
    const host = hostFor(urlRecord);
    const { done, progress } = installFrom(host, caches, urlRecord);
    expect(await done).toEqual({ weightBytes: weightTotal });

    const downloads = progress.filter((p) => p.phase === 'download');
    expect(downloads).toHaveLength(progress.length);
    // Pieces of 1 KiB: several reports per shard, never going backwards.
    expect(downloads.length).toBeGreaterThan(8);
    for (const [previous, next] of downloads.slice(1).map((p, i) => [downloads[i], p])) {
      expect(next?.loadedBytes).toBeGreaterThanOrEqual(previous?.loadedBytes ?? Infinity);
      expect(next?.fraction).toBeGreaterThanOrEqual(previous?.fraction ?? Infinity);
    }
    expect(downloads.every((p) => p.totalBytes === weightTotal)).toBe(true);
    expect(downloads[0]).toMatchObject({ loadedBytes: 0, fraction: 0 });
    expect(downloads.at(-1)).toMatchObject({ loadedBytes: weightTotal, fraction: 1 });
    expect(downloads.at(-1)?.secondsLeft).toBe(0);

    expect(await inspectModelCache(urlRecord, caches.asCacheStorage())).toEqual({
      state: 'complete',
      storedBytes: weightTotal,
      totalBytes: weightTotal,
      filesStored: 6,
      filesTotal: 6,
    });
  });

  it('stores each file under the URL WebLLM asks for, downloaded from where the host serves it', async () => {
    const host = hostFor(urlRecord);
    await installFrom(host, caches, urlRecord).done;
    // WebLLM reads `<model>/resolve/main/<file>`; a plain static host serves `<model>/<file>`.
    expect(host.requests).toEqual([
      'https://models.example.org/DimMem-4B-q4f16_1-MLC/mlc-chat-config.json',
      'https://models.example.org/DimMem-4B-q4f16_1-MLC/tensor-cache.json',
      'https://models.example.org/DimMem-4B-q4f16_1-MLC/tokenizer.json',
      'https://models.example.org/DimMem-4B-q4f16_1-MLC/params_shard_0.bin',
      'https://models.example.org/DimMem-4B-q4f16_1-MLC/params_shard_1.bin',
      urlRecord.model_lib,
    ]);
    const base = 'https://models.example.org/DimMem-4B-q4f16_1-MLC/resolve/main/';
    expect(caches.urls(webllmCacheNames.config)).toEqual([`${base}mlc-chat-config.json`]);
    expect(caches.urls(webllmCacheNames.model)).toEqual(
      ['params_shard_0.bin', 'params_shard_1.bin', 'tensor-cache.json', 'tokenizer.json'].map(
        (file) => `${base}${file}`,
      ),
    );
    expect(caches.urls(webllmCacheNames.wasm)).toEqual([urlRecord.model_lib]);
    expect(urlRecord.model_lib).toMatch(/^https:\/\/.*Qwen3-4B-q4f16_1.*\.wasm$/);
    expect(caches.bytesOf(webllmCacheNames.model, `${base}params_shard_1.bin`)).toEqual(
      new Uint8Array(5000).fill(2),
    );
  });

  it('says "already downloaded" and fetches nothing when every file is stored', async () => {
    const host = hostFor(urlRecord);
    await installFrom(host, caches, urlRecord).done;
    host.requests.length = 0;
    host.offline = true;
    const again = installFrom(host, caches, urlRecord);
    expect(await again.done).toEqual({ weightBytes: weightTotal });
    expect(host.requests).toEqual([]);
    expect(again.progress).toEqual([
      expect.objectContaining({ phase: 'cache', totalBytes: weightTotal }),
    ]);
    expect(again.progress[0]?.text).toMatch(/Already downloaded/);
  });

  it('a connection lost at the second shard leaves the model partly downloaded; the retry fetches only the rest', async () => {
    const host = hostFor(urlRecord);
    const secondShard = servedUrl(urlRecord, shardPath(1));
    host.failures.set(secondShard, 'offline');
    const error = await engineErrorOf(installFrom(host, caches, urlRecord).done);
    expect(error.code).toBe('model-files-unavailable');
    expect(error.advice).toMatch(/retry: finished files are kept/);
    expect(error.detail).toContain(secondShard);

    expect(await inspectModelCache(urlRecord, caches.asCacheStorage())).toEqual({
      state: 'partial',
      storedBytes: shardSizes[0],
      totalBytes: weightTotal,
      filesStored: 4, // config, tensor list, tokenizer, first shard
      filesTotal: 6,
    });

    host.failures.clear();
    host.requests.length = 0;
    const retry = installFrom(host, caches, urlRecord);
    await retry.done;
    expect(host.requests).toEqual([secondShard, urlRecord.model_lib]);
    // The retry counts what is left to download.
    expect(retry.progress.at(-1)).toMatchObject({
      phase: 'download',
      loadedBytes: shardSizes[1],
      totalBytes: shardSizes[1],
      fraction: 1,
    });
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('complete');
  });

  it('a shard cut off halfway stores nothing of it and asks for a retry, not a generic failure', async () => {
    const host = hostFor(urlRecord);
    host.failures.set(servedUrl(urlRecord, shardPath(1)), 'cut');
    const error = await engineErrorOf(installFrom(host, caches, urlRecord).done);
    expect(error.code).toBe('model-files-unavailable');
    expect(error.detail).toContain(shardPath(1));
    expect(caches.urls(webllmCacheNames.model)).not.toContain(cacheKey(urlRecord, shardPath(1)));
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('partial');

    host.failures.clear();
    await installFrom(host, caches, urlRecord).done;
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('complete');
  });

  it('cancelling in the middle of a shard stops as a cancel and keeps the finished shard', async () => {
    const host = hostFor(urlRecord);
    const controller = new AbortController();
    const { done } = installFrom(host, caches, urlRecord, {
      signal: controller.signal,
      onProgress: (report) => {
        if ((report.loadedBytes ?? 0) > shardSizes[0]) controller.abort();
      },
    });
    const error: unknown = await done.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(isAbortError(error)).toBe(true);
    expect(caches.urls(webllmCacheNames.model)).toContain(cacheKey(urlRecord, shardPath(0)));
    expect(caches.urls(webllmCacheNames.model)).not.toContain(cacheKey(urlRecord, shardPath(1)));

    host.requests.length = 0;
    await installFrom(host, caches, urlRecord).done;
    expect(host.requests).toEqual([servedUrl(urlRecord, shardPath(1)), urlRecord.model_lib]);
  });

  it('does not keep a shard whose size differs from what tensor-cache.json lists', async () => {
    const host = hostFor(urlRecord);
    host.files.set(servedUrl(urlRecord, shardPath(1)), new Uint8Array(4000).fill(2));
    const error = await engineErrorOf(installFrom(host, caches, urlRecord).done);
    expect(error.code).toBe('model-files-incomplete');
    expect(error.detail).toBe(`${shardPath(1)}: got 4000 of 5000 bytes`);
    expect(caches.urls(webllmCacheNames.model)).not.toContain(cacheKey(urlRecord, shardPath(1)));
    const status = await inspectModelCache(urlRecord, caches.asCacheStorage());
    expect(status).toMatchObject({ state: 'partial', storedBytes: shardSizes[0] });
  });

  it('keeps nothing from a host that answers with a web page instead of the model config', async () => {
    const host = hostFor(urlRecord);
    const configUrl = servedUrl(urlRecord, 'mlc-chat-config.json');
    const config = host.files.get(configUrl);
    host.files.set(configUrl, new TextEncoder().encode('<!doctype html><title>App</title>'));
    const error = await engineErrorOf(installFrom(host, caches, urlRecord).done);
    expect(error.code).toBe('model-config-invalid');
    // Nothing stays behind that would fail the next try too.
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('absent');

    if (config) host.files.set(configUrl, config);
    await installFrom(host, caches, urlRecord).done;
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('complete');
  });

  it('keeps nothing from a folder of the other quantization, so the right one installs after', async () => {
    const host = hostFor(urlRecord);
    const wrong = servedAt(
      sourceBaseUrl(urlRecord.model),
      tinyModelFolder({ quantization: 'q4f32_1' }),
    );
    const right = new Map(host.files);
    for (const [url, bytes] of wrong) host.files.set(url, bytes);
    const error = await engineErrorOf(installFrom(host, caches, urlRecord).done);
    expect(error.code).toBe('model-config-invalid');
    expect(error.detail).toBe('This folder holds the q4f32_1 build, but q4f16_1 was expected.');
    expect(caches.usedBytes()).toBe(0);

    host.files = right;
    await installFrom(host, caches, urlRecord).done;
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('complete');
  });
});

describe('storage space', () => {
  it('refuses before downloading any weights when the browser has too little room', async () => {
    const host = hostFor(urlRecord);
    const error = await engineErrorOf(
      installFrom(host, caches, urlRecord, { freeBytes: async () => weightTotal - 1 }).done,
    );
    expect(error.code).toBe('storage-full');
    expect(error.advice).toMatch(/no room left for the model/);
    expect(error.detail).toMatch(/MB to download, \d+ MB free/);
    expect(host.requests.filter((url) => url.endsWith('.bin'))).toEqual([]);
  });

  it('compares the free room with what is left to download, not the whole model', async () => {
    const host = hostFor(urlRecord);
    host.failures.set(servedUrl(urlRecord, shardPath(1)), 'offline');
    await engineErrorOf(installFrom(host, caches, urlRecord).done);
    host.failures.clear();
    await installFrom(host, caches, urlRecord, { freeBytes: async () => shardSizes[1] }).done;
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('complete');
  });

  it('says storage is full when the browser refuses a shard, keeping what fit', async () => {
    const host = hostFor(urlRecord);
    caches = new MemoryCacheStorage(6000); // room for the small files and the first shard only
    const error = await engineErrorOf(installFrom(host, caches, urlRecord).done);
    expect(error.code).toBe('storage-full');
    expect(error.detail).toBe(shardPath(1));
    const status = await inspectModelCache(urlRecord, caches.asCacheStorage());
    expect(status).toMatchObject({ state: 'partial', storedBytes: shardSizes[0] });
  });
});

describe('repair and delete', () => {
  it('delete removes this model’s entries only; the shared library stays unless asked', async () => {
    const host = hostFor(urlRecord, otherRecord);
    await installFrom(host, caches, urlRecord).done;
    await installFrom(host, caches, otherRecord).done;
    const otherKeys = caches.urls(webllmCacheNames.model).filter((url) => url.includes('q4f32_1'));
    expect(otherKeys).toHaveLength(4);

    expect(await deleteModelFromCache(urlRecord, caches.asCacheStorage())).toBe(5);
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('absent');
    expect(caches.urls(webllmCacheNames.wasm)).toContain(urlRecord.model_lib);
    expect(caches.urls(webllmCacheNames.model)).toEqual(otherKeys);
    expect((await inspectModelCache(otherRecord, caches.asCacheStorage())).state).toBe('complete');

    // Repair also drops the library (it may be the broken file); the other build has its own.
    expect(
      await deleteModelFromCache(urlRecord, caches.asCacheStorage(), { includeLibrary: true }),
    ).toBe(1);
    expect(caches.urls(webllmCacheNames.wasm)).toEqual([otherRecord.model_lib]);
    expect((await inspectModelCache(otherRecord, caches.asCacheStorage())).state).toBe('complete');
  });

  it('repairs a download interrupted before the tensor list, which WebLLM itself cannot delete', async () => {
    const host = hostFor(urlRecord);
    host.failures.set(servedUrl(urlRecord, 'tensor-cache.json'), 'offline');
    await engineErrorOf(installFrom(host, caches, urlRecord).done);
    expect(await inspectModelCache(urlRecord, caches.asCacheStorage())).toMatchObject({
      state: 'partial',
      filesStored: 1,
      filesTotal: null,
    });

    await deleteModelFromCache(urlRecord, caches.asCacheStorage(), { includeLibrary: true });
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('absent');
    expect(caches.usedBytes()).toBe(0);

    host.failures.clear();
    await installFrom(host, caches, urlRecord).done;
    expect((await inspectModelCache(urlRecord, caches.asCacheStorage())).state).toBe('complete');
  });
});

describe('a model folder picked on this computer', () => {
  const folderName = 'DimMem-4B-q4f16_1-MLC';

  function installFolder(host: FakeHost, files: File[], options: Partial<InstallOptions> = {}) {
    return installModel({
      record: folderRecord,
      source: folderFileSource(folderName, files),
      // As the Model view does: the folder's `.wasm`, else the library's URL.
      librarySource:
        folderLibrarySource(folderName, files) ??
        urlFileSource(folderRecord.model_lib, host.fetch, 'model-library-unavailable'),
      expectedQuantization: 'q4f16_1',
      caches: caches.asCacheStorage(),
      onProgress: () => {},
      ...options,
    });
  }

  it('with the library in it, installs with no network at all', async () => {
    const host = createFakeHost();
    host.offline = true;
    const folder = tinyModelFolder({ shardBytes: shardSizes });
    folder.set('Qwen3-4B-q4f16_1-ctx4k_cs1k-webgpu.wasm', fakeLibraryBytes);
    await installFolder(host, pickedFolder(folderName, folder));
    expect(host.requests).toEqual([]);
    expect((await inspectModelCache(folderRecord, caches.asCacheStorage())).state).toBe('complete');
    // WebLLM finds the folder's library under the URL of the record's library.
    expect(caches.bytesOf(webllmCacheNames.wasm, folderRecord.model_lib)).toEqual(fakeLibraryBytes);
  });

  it('reads a tensor list named ndarray-cache.json (older MLC builds) and stores it as WebLLM expects', async () => {
    const host = createFakeHost();
    host.offline = true;
    const folder = tinyModelFolder({
      shardBytes: shardSizes,
      tensorCacheName: 'ndarray-cache.json',
    });
    folder.set('model.wasm', fakeLibraryBytes);
    await installFolder(host, pickedFolder(folderName, folder));
    expect(caches.urls(webllmCacheNames.model)).toContain(
      cacheKey(folderRecord, 'tensor-cache.json'),
    );
    expect((await inspectModelCache(folderRecord, caches.asCacheStorage())).state).toBe('complete');
  });

  it('cancelling the copy stops within the file being copied', async () => {
    const folder = tinyModelFolder({ shardBytes: shardSizes });
    folder.set('model.wasm', fakeLibraryBytes);
    const controller = new AbortController();
    const copying = installFolder(createFakeHost(), pickedFolder(folderName, folder), {
      signal: controller.signal,
      now: steppingClock(),
      onProgress: (report) => {
        if ((report.loadedBytes ?? 0) > shardSizes[0]) controller.abort();
      },
    });
    const error: unknown = await copying.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(isAbortError(error)).toBe(true);
    expect(caches.urls(webllmCacheNames.model)).toContain(cacheKey(folderRecord, shardPath(0)));
    expect(caches.urls(webllmCacheNames.model)).not.toContain(cacheKey(folderRecord, shardPath(1)));
  });

  it('without the library, fetches the library and nothing else', async () => {
    const host = createFakeHost(new Map([[folderRecord.model_lib, fakeLibraryBytes]]));
    await installFolder(
      host,
      pickedFolder(folderName, tinyModelFolder({ shardBytes: shardSizes })),
    );
    expect(host.requests).toEqual([folderRecord.model_lib]);
    expect((await inspectModelCache(folderRecord, caches.asCacheStorage())).state).toBe('complete');
  });

  it('without the library and offline, says to pick a folder with the library; loading later fetches only it', async () => {
    const host = createFakeHost(new Map([[folderRecord.model_lib, fakeLibraryBytes]]));
    host.offline = true;
    const error = await engineErrorOf(
      installFolder(host, pickedFolder(folderName, tinyModelFolder({ shardBytes: shardSizes }))),
    );
    expect(error.code).toBe('model-library-unavailable');
    expect(error.advice).toMatch(
      /Check the connection, or pick a folder that contains the library/,
    );
    expect(host.requests).toEqual([folderRecord.model_lib]);
    // The weights are in; only the library is missing.
    expect(await inspectModelCache(folderRecord, caches.asCacheStorage())).toMatchObject({
      state: 'partial',
      storedBytes: weightTotal,
      filesStored: 5,
      filesTotal: 6,
    });

    // Loading the model later (as the Model view's Load does) with a network.
    host.offline = false;
    host.requests.length = 0;
    await installFrom(host, caches, folderRecord).done;
    expect(host.requests).toEqual([folderRecord.model_lib]);
    expect((await inspectModelCache(folderRecord, caches.asCacheStorage())).state).toBe('complete');
  });
});

describe('the Model view’s folder import (engine store)', () => {
  let store: typeof EngineStore;
  let host: FakeHost;
  /** What `navigator.storage.estimate()` says is still free; null when it says nothing. */
  let freeBytes: number | null = null;

  beforeAll(async () => {
    vi.stubGlobal('window', { location: { href: 'http://127.0.0.1:4173/' } });
    // The store reads these globals at each call, so each test may swap what they hold.
    vi.stubGlobal('caches', {
      open: (name: string) => caches.open(name),
    });
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
      host.fetch(input, init),
    );
    vi.stubGlobal('navigator', {
      storage: {
        estimate: async () => (freeBytes === null ? {} : { quota: freeBytes + 1000, usage: 1000 }),
      },
    });
    host = createFakeHost();
    store = await import('../../../../src/store/engine');
    await store.initModelCatalog();
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });
  beforeEach(() => {
    host = createFakeHost(new Map([[folderRecord.model_lib, fakeLibraryBytes]]));
    freeBytes = null;
  });

  const entryId = (name: string) => `DimMem-4B-q4f16_1-MLC:folder:${name}`;

  it('copies a folder holding its library with no network, selects it and lists it as downloaded', async () => {
    host.offline = true;
    const folder = tinyModelFolder({ shardBytes: shardSizes });
    folder.set('Qwen3-4B-q4f16_1-ctx4k_cs1k-webgpu.wasm', fakeLibraryBytes);
    await store.importModelFolder('complete', pickedFolder('complete', folder));
    const state = store.useEngineStore.getState();
    expect(state.load).toEqual({ state: 'idle' });
    expect(state.selectedId).toBe(entryId('complete'));
    expect(state.cache[entryId('complete')]).toMatchObject({
      state: 'complete',
      storedBytes: weightTotal,
    });
    expect(host.requests).toEqual([]);
  });

  it('refuses a folder larger than the free storage before copying its weights, and says why', async () => {
    freeBytes = weightTotal - 1;
    const folder = tinyModelFolder({ shardBytes: shardSizes });
    folder.set('model.wasm', fakeLibraryBytes);
    await store.importModelFolder('too-big', pickedFolder('too-big', folder));
    const { load } = store.useEngineStore.getState();
    expect(load.state === 'error' && load.failure).toMatchObject({
      code: 'storage-full',
      advice:
        'The browser has no room left for the model. Free disk space or delete other cached models.',
    });
    expect(load.state === 'error' && load.failure.detail).toMatch(/MB to download, \d+ MB free/);
    expect(caches.urls(webllmCacheNames.model).filter((url) => url.endsWith('.bin'))).toEqual([]);
  });

  it('without the library and offline, tells the user to connect or pick a folder with the library', async () => {
    host.offline = true;
    const files = pickedFolder('no-library', tinyModelFolder({ shardBytes: shardSizes }));
    await store.importModelFolder('no-library', files);
    const { load, cache } = store.useEngineStore.getState();
    expect(load.state === 'error' && load.failure.code).toBe('model-library-unavailable');
    // Reported under the listed model, so the Model view shows it next to that folder.
    expect(load.state === 'error' && load.modelId).toBe(entryId('no-library'));
    expect(load.state === 'error' && load.failure.advice).toBe(
      'The model library (.wasm) could not be downloaded. Check the connection, or pick a folder that contains the library.',
    );
    expect(host.requests).toEqual([folderRecord.model_lib]);
    expect(cache[entryId('no-library')]).toMatchObject({ state: 'partial', filesStored: 5 });
  });
});
