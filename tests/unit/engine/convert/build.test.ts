import { createHash } from 'node:crypto';

import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';
import { deleteModelAllInfoInCache, hasModelInCache } from '@mlc-ai/web-llm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { webllmCacheNames } from '../../../../src/engine/cache/modelCacheLayout';
import { webllmModelBaseUrl } from '../../../../src/engine/catalog/modelUrls';
import { BuildError } from '../../../../src/engine/convert/buildError';
import type { BuildProgress } from '../../../../src/engine/convert/buildProgress';
import type { BuildDeps } from '../../../../src/engine/convert/buildModel';
import { builtModelFromState } from '../../../../src/engine/convert/builtModel';
import { runModelBuild, startModelBuild } from '../../../../src/engine/convert/buildModel';
import {
  buildModelUrl,
  deleteBuildOutput,
  outputRecord,
} from '../../../../src/engine/convert/buildOutput';
import type { BuildState } from '../../../../src/engine/convert/buildState';
import {
  asFoundAfterLoad,
  buildStateCacheName,
  deleteBuildState,
  readBuildState,
  withPhase,
} from '../../../../src/engine/convert/buildState';
import { startCheckpointHub, testRepo, testRevision } from '../../../support/checkpointHub';
import type { CheckpointHub } from '../../../support/checkpointHub';
import { syntheticQwen3Checkpoint } from '../../../support/convert/syntheticCheckpoint';
import { MemoryCacheStorage } from '../../../support/engineCacheFake';

/**
 * The tiny synthetic Qwen3 checkpoint (two weight files), converted with an 8 KiB shard cap (the
 * developer setting) so that its ≈ 50 KB of output spread over several shards, as the real
 * model's 2.26 GB spread over 32 MiB ones.
 */
const checkpoint = syntheticQwen3Checkpoint({ seed: 7, files: 2 });
const shardCapBytes = 8 * 1024;
const libraryUrl = 'https://raw.githubusercontent.com/test/Qwen3-4B-q4f16_1_cs1k-webgpu.wasm';
const libraryBytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

let server: CheckpointHub;
beforeAll(async () => {
  server = await startCheckpointHub(checkpoint.files);
});
afterAll(async () => {
  await server.close();
});

let caches: MemoryCacheStorage;
let puts: string[];
let offline: boolean;
beforeEach(() => {
  caches = new MemoryCacheStorage();
  puts = [];
  offline = false;
  // Record every cache write, to prove a resume does not redo finished shards.
  const open = caches.open.bind(caches);
  const wrapped = new WeakSet<object>();
  caches.open = async (name: string) => {
    const cache = await open(name);
    if (wrapped.has(cache)) return cache;
    wrapped.add(cache);
    const put = cache.put.bind(cache);
    cache.put = async (key, response) => {
      puts.push(key instanceof Request ? key.url : String(key));
      return put(key, response);
    };
    return cache;
  };
});
afterEach(() => {
  delete (globalThis as { caches?: unknown }).caches;
});

/** Network through the local servers, except the model library (another host) and when offline. */
const testFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (offline) throw new TypeError('Failed to fetch');
  if (url === libraryUrl) return new Response(libraryBytes);
  return fetch(input, init);
};

function deps(overrides: Partial<BuildDeps> = {}): BuildDeps & { reports: BuildProgress[] } {
  const reports: BuildProgress[] = [];
  return {
    caches: caches.asCacheStorage(),
    fetch: testFetch,
    libraryUrl,
    requireQwen3_4B: false,
    signal: new AbortController().signal,
    onProgress: (progress) => reports.push(progress),
    retryDelayMs: () => 1,
    shardCapBytes,
    reports,
    ...overrides,
  };
}

function source() {
  return { hub: server.hub.origin, repo: testRepo };
}

function start(d: BuildDeps, quantization: 'q4f16_1' | 'q4f32_1' = 'q4f16_1') {
  return startModelBuild(
    {
      source: source(),
      quantization,
      contextWindowSize: 4096,
      modelUrlFor: (revision) => buildModelUrl(source(), revision, quantization),
    },
    d,
  );
}

function appConfigFor(record: ModelRecord): AppConfig {
  return { model_list: [{ ...record, model_id: 'built' }] };
}

async function loadableByWebLlm(record: ModelRecord): Promise<boolean> {
  (globalThis as { caches?: unknown }).caches = caches.asCacheStorage();
  return hasModelInCache('built', appConfigFor(record));
}

async function buildErrorOf(promise: Promise<unknown>): Promise<BuildError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof BuildError))
    throw new Error(`expected a BuildError, got ${String(error)}`);
  return error;
}

function modelKeys(): string[] {
  return [...caches.urls(webllmCacheNames.config), ...caches.urls(webllmCacheNames.model)];
}

describe('building the model in the browser', () => {
  it('pins the revision, converts every shard and stores the model under the keys WebLLM reads', async () => {
    const d = deps();
    const built = await start(d);
    const record = outputRecord(built.modelUrl, libraryUrl);
    expect(built.revision).toBe(testRevision);
    expect(built.modelUrl).toContain(testRevision);
    // WebLLM's own check: tensor-cache.json and every shard it lists are in its cache.
    expect(await loadableByWebLlm(record)).toBe(true);

    const base = webllmModelBaseUrl(built.modelUrl);
    const tensorCache = JSON.parse(
      new TextDecoder().decode(caches.bytesOf(webllmCacheNames.model, `${base}tensor-cache.json`)),
    ) as { records: { dataPath: string; nbytes: number; md5sum: string }[] };
    expect(tensorCache.records.length).toBeGreaterThanOrEqual(4);
    expect(tensorCache.records.map((r) => r.dataPath)).toEqual(
      tensorCache.records.map((_r, i) => `params_shard_${i}.bin`),
    );
    // The md5 of each stored shard is the one listed.
    for (const shard of tensorCache.records) {
      const bytes = caches.bytesOf(webllmCacheNames.model, `${base}${shard.dataPath}`);
      expect(bytes?.byteLength).toBe(shard.nbytes);
      expect(
        createHash('md5')
          .update(bytes ?? new Uint8Array())
          .digest('hex'),
      ).toBe(shard.md5sum);
    }
    const config = JSON.parse(
      new TextDecoder().decode(
        caches.bytesOf(webllmCacheNames.config, `${base}mlc-chat-config.json`),
      ),
    ) as Record<string, unknown>;
    expect(config).toMatchObject({
      model_type: 'qwen3',
      quantization: 'q4f16_1',
      context_window_size: 4096,
      tokenizer_files: ['tokenizer.json'],
    });
    expect(caches.bytesOf(webllmCacheNames.model, `${base}tokenizer.json`)).toEqual(
      checkpoint.files.get('tokenizer.json'),
    );
    expect(caches.bytesOf(webllmCacheNames.wasm, libraryUrl)).toEqual(libraryBytes);

    // WebLLM's own delete removes every file the build wrote but the tensor list (which WebLLM
    // 0.2.86 reads to find the shards and never deletes itself): the keys are WebLLM's.
    expect(modelKeys()).toHaveLength(tensorCache.records.length + 3);
    await deleteModelAllInfoInCache('built', appConfigFor(record));
    expect(modelKeys()).toEqual([`${base}tensor-cache.json`]);
    expect(caches.urls(webllmCacheNames.wasm)).toEqual([]);

    // Provenance: the revision and the hash of every checkpoint file read.
    expect(built.sourceHashes['model-00001-of-00002.safetensors']).toBe(
      `sha256:${server.sha256.get('model-00001-of-00002.safetensors')}`,
    );
    expect(built.sourceHashes['config.json']).toMatch(/^git-sha1:[0-9a-f]{40}$/);
    // The state is finished; the final files were written last, tensor-cache.json the very last.
    const finished = (await readBuildState(caches.asCacheStorage())) as BuildState;
    expect(finished.phase).toBe('done');
    // A tab that stops before listing the model lists it from the state on its next load.
    const recovered = builtModelFromState(finished, 0);
    expect(recovered).toMatchObject({
      modelUrl: built.modelUrl,
      revision: built.revision,
      quantization: 'q4f16_1',
      developerHost: true,
    });
    expect(recovered?.sourceHashes).toMatchObject(built.sourceHashes);
    const order = puts.filter((url) => url.startsWith(base)).map((url) => url.slice(base.length));
    expect(order.slice(-2)).toEqual(['mlc-chat-config.json', 'tensor-cache.json']);
    // Progress counted tensors and bytes up to the end.
    const last = d.reports.at(-1);
    expect(last?.shardsDone).toBe(tensorCache.records.length);
    expect(last?.tensorsDone).toBe(last?.tensorsTotal);
    const weightBytes = [...checkpoint.weights.values()].reduce((n, w) => n + w.bf16.byteLength, 0);
    expect(last?.bytesRead).toBeGreaterThanOrEqual(weightBytes);
  });

  it('pauses after a finished shard, is not loadable meanwhile, and resumes without converting that shard again', async () => {
    const controller = new AbortController();
    const first = deps({ signal: controller.signal });
    const stopAfterFirstShard = {
      ...first,
      onState: (state: BuildState) => {
        if (Object.keys(state.shards).length === 1) controller.abort();
      },
    };
    await expect(start(stopAfterFirstShard)).rejects.toMatchObject({ name: 'AbortError' });
    const stored = await readBuildState(caches.asCacheStorage());
    expect(stored && Object.keys(stored.shards)).toEqual(['params_shard_0.bin']);
    const record = outputRecord(stored?.modelUrl ?? '', libraryUrl);
    const base = webllmModelBaseUrl(record.model);
    // Nothing WebLLM could load: no tensor-cache.json, no chat config.
    expect(await loadableByWebLlm(record)).toBe(false);
    expect(modelKeys()).toEqual([`${base}params_shard_0.bin`]);

    // A reload finds it "running" with nobody running it: it is shown as paused.
    const found = asFoundAfterLoad(stored as BuildState);
    expect(found.phase).toBe('paused');
    puts = [];
    const built = await runModelBuild(found, deps());
    expect(puts).not.toContain(`${base}params_shard_0.bin`);
    expect(puts).toContain(`${base}params_shard_1.bin`);
    expect(await loadableByWebLlm(outputRecord(built.modelUrl, libraryUrl))).toBe(true);
  });

  it('keeps reading the pinned revision after main moved on', async () => {
    const controller = new AbortController();
    const d = deps({ signal: controller.signal });
    const pausing = {
      ...d,
      onState: (state: BuildState) => {
        if (Object.keys(state.shards).length === 1) controller.abort();
      },
    };
    await expect(start(pausing)).rejects.toMatchObject({ name: 'AbortError' });
    const newer = 'ffffffffffffffffffffffffffffffffffffffff';
    server.setRevision(newer);
    const before = server.hub.requests.length;
    try {
      const stored = (await readBuildState(caches.asCacheStorage())) as BuildState;
      const built = await runModelBuild(stored, deps());
      expect(built.revision).toBe(testRevision);
      const paths = server.hub.requests.slice(before).map((r) => r.path);
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.every((p) => p.includes(`/resolve/${testRevision}/`))).toBe(true);
      // A new build pins the new main.
      caches = new MemoryCacheStorage();
      expect((await start(deps())).revision).toBe(newer);
    } finally {
      server.setRevision(testRevision);
    }
  });

  it('a network failure is stored with the finished shards, leaves nothing loadable, and resumes', async () => {
    const d = deps({
      onState: (state) => {
        if (Object.keys(state.shards).length === 1) offline = true;
      },
    });
    const error = await buildErrorOf(start(d));
    expect(error.code).toBe('network');
    expect(error.message).toContain('finished parts are kept');
    const stored = (await readBuildState(caches.asCacheStorage())) as BuildState;
    expect(stored.phase).toBe('failed');
    expect(stored.failure?.code).toBe('network');
    expect(Object.keys(stored.shards)).toEqual(['params_shard_0.bin']);
    expect(await loadableByWebLlm(outputRecord(stored.modelUrl, libraryUrl))).toBe(false);

    offline = false;
    const built = await runModelBuild(stored, deps());
    expect(await loadableByWebLlm(outputRecord(built.modelUrl, libraryUrl))).toBe(true);
  });

  it('cancelling removes every file the build wrote and its state', async () => {
    const controller = new AbortController();
    const d = deps({ signal: controller.signal });
    await expect(
      start({
        ...d,
        onState: (state) => {
          if (Object.keys(state.shards).length === 1) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    const stored = (await readBuildState(caches.asCacheStorage())) as BuildState;
    await deleteBuildOutput(caches.asCacheStorage(), outputRecord(stored.modelUrl, libraryUrl));
    await deleteBuildState(caches.asCacheStorage());
    expect(modelKeys()).toEqual([]);
    expect(caches.urls(buildStateCacheName)).toEqual([]);
  });

  it('refuses a checkpoint that is not Qwen3-4B, naming the fields, before downloading weights', async () => {
    const d = deps({ requireQwen3_4B: true });
    const before = server.fileHost.requests.length;
    const error = await buildErrorOf(start(d));
    expect(error.code).toBe('checkpoint-refused');
    expect(error.detail).toContain('hidden_size');
    expect(error.detail).toContain('num_hidden_layers');
    // Only headers were read (config, index, the safetensors headers): no weight rows.
    const ranges = server.fileHost.requests.slice(before).filter((r) => r.range);
    const bytes = ranges.reduce((sum, r) => {
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(r.range ?? '') ?? [];
      return sum + Number(b) - Number(a) + 1;
    }, 0);
    expect(bytes).toBeLessThan(1024 * 1024);
    expect(modelKeys()).toEqual([]);
    expect((await readBuildState(caches.asCacheStorage()))?.failure?.code).toBe(
      'checkpoint-refused',
    );
  });

  it('refuses a checkpoint whose lm_head differs from the embedding, saying so', async () => {
    const untied = syntheticQwen3Checkpoint({ seed: 3, files: 1, lmHead: 'different' });
    const other = await startCheckpointHub(untied.files);
    try {
      const d = deps();
      const error = await buildErrorOf(
        startModelBuild(
          {
            source: { hub: other.hub.origin, repo: testRepo },
            quantization: 'q4f32_1',
            contextWindowSize: 4096,
            modelUrlFor: (revision) =>
              buildModelUrl({ hub: other.hub.origin, repo: testRepo }, revision, 'q4f32_1'),
          },
          d,
        ),
      );
      expect(error.code).toBe('checkpoint-refused');
      expect(error.detail).toContain('lm_head.weight');
      expect(modelKeys()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('says the storage is full before downloading when the browser has too little room', async () => {
    const d = deps({ freeBytes: async () => 1000 });
    const error = await buildErrorOf(start(d));
    expect(error.code).toBe('storage-full');
    expect(error.detail).toMatch(/^1 MB still to store, 0 MB free$/);
    expect(modelKeys()).toEqual([]);
  });

  it('a quota hit while storing a shard fails with storage-full and keeps what is finished', async () => {
    // Room for the state and about two shards.
    caches = new MemoryCacheStorage(24 * 1024);
    const error = await buildErrorOf(start(deps()));
    expect(error.code).toBe('storage-full');
    const stored = (await readBuildState(caches.asCacheStorage())) as BuildState;
    expect(Object.keys(stored.shards).length).toBeGreaterThan(0);
    const base = webllmModelBaseUrl(stored.modelUrl);
    for (const dataPath of Object.keys(stored.shards)) {
      expect(caches.urls(webllmCacheNames.model)).toContain(`${base}${dataPath}`);
    }
    expect(await loadableByWebLlm(outputRecord(stored.modelUrl, libraryUrl))).toBe(false);
  });

  it('says clearly when Hugging Face cannot be reached to pin the revision', async () => {
    offline = true;
    const error = await buildErrorOf(start(deps()));
    expect(error.code).toBe('hub-unreachable');
    expect(await readBuildState(caches.asCacheStorage())).toBeNull();
  });
});

describe('the build state machine', () => {
  it('a finished build cannot be paused or failed again', () => {
    const state = {
      phase: 'done',
      failure: null,
      updatedAt: 0,
    } as unknown as BuildState;
    expect(() => withPhase(state, 'paused', 1)).toThrow('finished build');
  });

  it('a failure is kept with the phase, and cleared when the build runs again', () => {
    const state = { phase: 'running', failure: null, updatedAt: 0 } as unknown as BuildState;
    const failed = withPhase(state, 'failed', 1, { code: 'network', advice: 'a', detail: 'b' });
    expect(failed.failure?.code).toBe('network');
    expect(withPhase(failed, 'running', 2).failure).toBeNull();
    expect(asFoundAfterLoad(failed).phase).toBe('failed');
  });
});
