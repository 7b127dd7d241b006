import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';

import { quantizeBf16Block } from '../../../../src/core/convert';
import { connectSourcesForUrl } from '../../../../src/engine/csp/connectSources';
import {
  checkpointConnectSources,
  connectSourcesAllow,
  connectSourceShape,
} from '../../../../src/engine/csp/connectSources';
import {
  buildCatalog,
  builtModelId,
  preferredEntry,
} from '../../../../src/engine/catalog/modelCatalog';
import type { BuiltModelSource } from '../../../../src/engine/catalog/modelCatalog';
import { buildModelUrl } from '../../../../src/engine/convert/buildOutput';
import {
  checkpointFileUrl,
  officialCheckpoint,
  revisionApiUrl,
} from '../../../../src/engine/convert/huggingFaceClient';
import {
  createQuantizePool,
  quantizeWorkerCount,
} from '../../../../src/engine/convert/quantizePool';
import type { WorkerLike } from '../../../../src/engine/convert/quantizePool';
import { handleQuantizeMessage } from '../../../../src/engine/convert/quantizeWorkerHandler';
import { devHostFromSearch } from '../../../../src/store/modelBuild/modelBuildSettings';
import { seededRandom, toBf16Bits } from '../../../support/convert/syntheticCheckpoint';

const revision = '0123456789abcdef0123456789abcdef01234567';

function built(overrides: Partial<BuiltModelSource> = {}): BuiltModelSource {
  return {
    modelUrl: buildModelUrl(officialCheckpoint, revision, 'q4f16_1'),
    quantization: 'q4f16_1',
    hub: officialCheckpoint.hub,
    repo: officialCheckpoint.repo,
    revision,
    sourceHashes: { 'model-00001-of-00002.safetensors': 'sha256:ab' },
    developerHost: false,
    ...overrides,
  };
}

describe('a build made in the browser in the catalog', () => {
  it('is listed as DimMem-4B with its revision and source hashes, fine-tuned, on the prebuilt library', () => {
    const catalog = buildCatalog({ prebuilt: prebuiltAppConfig, builtModels: [built()] });
    const entry = catalog.find((e) => e.sourceKind === 'browser-build');
    expect(entry?.id).toBe(`DimMem-4B-q4f16_1-MLC:built:${revision.slice(0, 12)}`);
    expect(entry?.label).toBe(
      'DimMem-4B q4f16_1 (built in this browser from wtqiu/DimMem-4B-Longmemeval@0123456)',
    );
    expect(entry?.fineTuned).toBe(true);
    expect(entry?.warning).toBeNull();
    expect(entry?.label).not.toContain('base model');
    expect(entry?.build).toMatchObject({ revision, sourceHashes: built().sourceHashes });
    const base = prebuiltAppConfig.model_list.find((r) => r.model_id === 'Qwen3-4B-q4f16_1-MLC');
    expect(entry?.record.model_lib).toBe(base?.model_lib);
    // Its files are never fetched: the model URL is on .invalid and needs no connect source.
    expect(entry?.record.model).toBe(
      `https://dimmem-build.invalid/wtqiu/DimMem-4B-Longmemeval/${revision}/DimMem-4B-q4f16_1-MLC/`,
    );
    expect(connectSourcesForUrl(entry?.record.model ?? '')).toEqual([]);
    // Preferred over the base model of its quantization.
    expect(preferredEntry(catalog, 'q4f16_1')?.id).toBe(entry?.id);
  });

  it('labels a build from a developer stand-in host as a test build, never as the real one', () => {
    const hub = 'http://127.0.0.1:8123';
    const dev = built({
      hub,
      developerHost: true,
      modelUrl: buildModelUrl({ hub, repo: officialCheckpoint.repo }, revision, 'q4f32_1'),
      quantization: 'q4f32_1',
    });
    const [entry] = buildCatalog({ prebuilt: prebuiltAppConfig, builtModels: [dev] });
    expect(entry?.label).toContain('developer test build from 127.0.0.1:8123');
    expect(entry?.warning).toBe('developer test build: not the published checkpoint');
    expect(entry?.id).toBe(builtModelId(dev));
    expect(entry?.id).not.toBe(builtModelId(built({ quantization: 'q4f32_1' })));
    expect(dev.modelUrl).toContain('/dev-127.0.0.1-8123/');
  });

  it('estimates the same 2.26 GB for q4f32_1 as for q4f16_1 (its scales are stored as bf16)', () => {
    const catalog = buildCatalog({ prebuilt: prebuiltAppConfig });
    const sizes = catalog.map((e) => e.approxDownloadBytes);
    expect(new Set(sizes).size).toBe(1);
    expect(Math.abs((sizes[0] ?? 0) - 2_262_920_192) / 2_262_920_192).toBeLessThan(0.001);
  });
});

describe('Hugging Face addresses', () => {
  it('pins through the revision API and downloads at the commit, not at main', () => {
    expect(revisionApiUrl(officialCheckpoint)).toBe(
      'https://huggingface.co/api/models/wtqiu/DimMem-4B-Longmemeval/revision/main?blobs=true',
    );
    const pinned = { ...officialCheckpoint, revision, files: {} };
    expect(checkpointFileUrl(pinned, 'model-00001-of-00002.safetensors')).toBe(
      `https://huggingface.co/wtqiu/DimMem-4B-Longmemeval/resolve/${revision}/model-00001-of-00002.safetensors`,
    );
  });
});

describe('the page policy for a build', () => {
  const self = 'http://127.0.0.1:4173';
  const sources = checkpointConnectSources('https://huggingface.co');

  it('allows Hugging Face and every file host its downloads redirect to today', () => {
    for (const url of [
      'https://huggingface.co/api/models/wtqiu/DimMem-4B-Longmemeval/revision/main',
      'https://huggingface.co/wtqiu/DimMem-4B-Longmemeval/resolve/abc/config.json',
      'https://cas-bridge.xethub.hf.co/xet-bridge-us/66627/e368?X-Amz-Signature=x',
      'https://us.aws.cdn.hf.co/xet-bridge-us/6578ba03/11b4080f',
      'https://cdn-lfs.huggingface.co/repos/aa/bb/cc',
      'https://cdn-lfs-us-1.huggingface.co/repos/aa/bb/cc',
      'https://cdn-lfs-us-1.hf.co/repos/aa/bb/cc',
    ]) {
      expect(connectSourcesAllow(sources, url, self), url).toBe(true);
    }
  });

  it('allows nothing else', () => {
    for (const url of [
      'https://evil.example/huggingface.co',
      'https://huggingface.co.evil.example/x',
      'http://huggingface.co/x',
      'https://hf.co.evil.example/x',
    ]) {
      expect(connectSourcesAllow(sources, url, self), url).toBe(false);
    }
    for (const source of sources) expect(source).toMatch(connectSourceShape);
  });

  it('allows a developer stand-in hub and the hosts it names, on this machine only', () => {
    const dev = devHostFromSearch(
      '?devCheckpointHub=http://127.0.0.1:9001/&devCheckpointHosts=http://127.0.0.1:9002,https://evil.example&devCheckpointShardKb=64',
    );
    expect(dev).toEqual({
      hub: 'http://127.0.0.1:9001',
      redirectHosts: ['http://127.0.0.1:9002'],
      shardCapBytes: 65536,
    });
    expect(checkpointConnectSources(dev?.hub ?? '', dev?.redirectHosts)).toEqual([
      'http://127.0.0.1:9001',
      'http://127.0.0.1:9002',
    ]);
    expect(devHostFromSearch('?devCheckpointHub=https://models.example.org')).toBeNull();
    expect(devHostFromSearch('?devCheckpointHub=')).toBeNull();
    expect(devHostFromSearch('?view=model')).toBeUndefined();
  });
});

/** Runs the worker's handler in this thread, answering asynchronously like a real worker. */
class InThreadWorker implements WorkerLike {
  private listeners: ((event: MessageEvent<unknown>) => void)[] = [];
  handled = 0;
  postMessage(message: unknown) {
    this.handled += 1;
    const { response } = handleQuantizeMessage(structuredClone(message));
    setTimeout(() => {
      for (const listener of this.listeners) listener({ data: response } as MessageEvent<unknown>);
    }, 0);
  }
  addEventListener(type: string, listener: (event: never) => void) {
    if (type === 'message') this.listeners.push(listener as (event: MessageEvent<unknown>) => void);
  }
  terminate() {}
}

describe('quantizing in workers', () => {
  it('gives the same codes and scales as the core quantizer, spread over every worker', async () => {
    const workers: InThreadWorker[] = [];
    const pool = createQuantizePool(3, () => {
      const worker = new InThreadWorker();
      workers.push(worker);
      return worker;
    });
    const random = seededRandom(5);
    const blocks = Array.from({ length: 6 }, (_, i) => {
      const bf16 = Uint16Array.from({ length: 64 * 32 }, () => toBf16Bits((random() - 0.5) * 0.2));
      return {
        quantization: i % 2 ? ('q4f32_1' as const) : ('q4f16_1' as const),
        bf16,
        rows: 64,
        cols: 32,
      };
    });
    const results = await Promise.all(blocks.map((block) => pool.quantizeBlock(block)));
    results.forEach((result, i) => {
      const expected = quantizeBf16Block(blocks[i] as (typeof blocks)[number]);
      expect(result.qWeight).toEqual(expected.qWeight);
      expect(result.qScale).toEqual(expected.qScale);
    });
    // The caller's values are left as they were (the pool sends a copy).
    expect(blocks[0]?.bf16.length).toBe(64 * 32);
    expect(workers.map((w) => w.handled)).toEqual([2, 2, 2]);
    pool.close();
    await expect(pool.quantizeBlock(blocks[0] as (typeof blocks)[number])).rejects.toThrow(
      'closed',
    );
  });

  it('reports a bad block as an error, not a hang', async () => {
    const pool = createQuantizePool(1, () => new InThreadWorker());
    await expect(
      pool.quantizeBlock({ quantization: 'q4f16_1', bf16: new Uint16Array(40), rows: 1, cols: 40 }),
    ).rejects.toThrow(/Quantizing failed: .*groups of 32/);
    pool.close();
  });

  it('uses every core but one, one at least, eight at most', () => {
    expect(quantizeWorkerCount(1)).toBe(1);
    expect(quantizeWorkerCount(2)).toBe(1);
    expect(quantizeWorkerCount(4)).toBe(3);
    expect(quantizeWorkerCount(64)).toBe(8);
    expect(quantizeWorkerCount(undefined)).toBe(1);
  });
});
