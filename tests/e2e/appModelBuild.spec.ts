import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

import { inspectCheckpoint, planMlcOutput } from '../../src/core/convert';
import { webllmModelBaseUrl } from '../../src/engine/catalog/modelUrls';
import { buildModelUrl } from '../../src/engine/convert/buildOutput';
import { startCheckpointHub, testRepo, testRevision } from '../support/checkpointHub';
import type { CheckpointHub } from '../support/checkpointHub';
import { memoryCheckpointReader } from '../support/convert/memoryReader';
import { syntheticQwen3Checkpoint } from '../support/convert/syntheticCheckpoint';
import { chromiumLaunchOptions, swiftShaderWebGpuArgs } from './chromium';

/**
 * Building the model in the browser, end to end, from a stand-in for Hugging Face on 127.0.0.1:
 * the hub pins the revision and redirects every download to a file host on a second port, which
 * answers range requests slowly enough to reload the page in the middle of the build. The tiny
 * synthetic Qwen3 checkpoint is converted with an 8 KiB shard cap (the developer setting), so it
 * has several shards to resume between.
 */

/** The page's answers wait on conversions and reloads; on a busy machine that takes a while. */
const expectSoon = expect.configure({ timeout: 20_000 });

// Chromium's software WebGPU has no shader-f16: the GPU check picks q4f32_1.
test.use({ launchOptions: chromiumLaunchOptions(swiftShaderWebGpuArgs) });

const checkpoint = syntheticQwen3Checkpoint({ seed: 11, files: 2 });
const shardKb = 8;
const fakeLibrary = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

let server: CheckpointHub;
test.beforeAll(async () => {
  server = await startCheckpointHub(checkpoint.files, { slow: true });
});
test.afterAll(async () => {
  await server.close();
});

/** The shards the build must write, from the converter's own plan of the same checkpoint. */
async function expectedShards(): Promise<string[]> {
  const inspection = await inspectCheckpoint(memoryCheckpointReader(checkpoint.files).reader);
  if (!inspection.convertible) throw new Error('the synthetic checkpoint must be convertible');
  const { config, loadingOrder, totalParams } = inspection.checkpoint;
  const plan = planMlcOutput(config, 'q4f32_1', {
    loadingOrder,
    totalParams,
    shardCapBytes: shardKb * 1024,
  });
  return plan.shards.map((shard) => shard.dataPath);
}

async function cacheKeys(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of ['webllm/config', 'webllm/model', 'webllm/wasm', 'dimmem/model-build']) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((request) => request.url).sort();
    }
    return out;
  });
}

test('builds the model from a checkpoint host with range requests and a redirect, resumes after a reload, and lists it as DimMem-4B', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // WebLLM's prebuilt model library lives on GitHub, out of reach here: a stand-in answers.
  let libraryRequests = 0;
  await page.route(/Qwen3-4B-q4f32_1.*\.wasm$/, (route) => {
    libraryRequests += 1;
    return route.fulfill({ body: Buffer.from(fakeLibrary), contentType: 'application/wasm' });
  });
  // "Save this build to a folder" writes into the origin's private file system in this test.
  await page.addInitScript(() => {
    (window as unknown as { showDirectoryPicker: () => Promise<unknown> }).showDirectoryPicker =
      () => navigator.storage.getDirectory();
  });

  const hub = server.hub.origin;
  const fileHost = server.fileHost.origin;
  await page.goto(
    `/?view=model&devCheckpointHub=${hub}&devCheckpointHosts=${fileHost}&devCheckpointShardKb=${shardKb}`,
  );
  await expectSoon(
    page.getByRole('heading', { name: 'Build DimMem-4B from the official checkpoint' }),
  ).toBeVisible();
  // The developer host is not in the page's policy yet: the page says so and reloads to allow it.
  await expectSoon(page.getByTestId('policy-reload')).toContainText(hub);
  const reloaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Reload now' }).click();
  await reloaded;
  await expectSoon(page.locator('meta[data-dimmem-connect-src]')).toHaveAttribute(
    'content',
    new RegExp(`${hub.replace(/[.]/g, '\\.')} ${fileHost.replace(/[.]/g, '\\.')}`),
  );
  await expectSoon(page.getByTestId('dev-checkpoint-host')).toContainText(hub);
  await expectSoon(page.getByTestId('gpu-verdict')).toContainText('q4f32_1');
  await expectSoon(page.getByTestId('build-needs')).toContainText('Free storage for this site');

  const build = page.getByRole('button', { name: 'Build DimMem-4B q4f32_1' });
  await expectSoon(build).toBeEnabled();
  await build.click();
  const line = page.getByTestId('build-progress-line');
  const shards = await expectedShards();
  expect(shards.length).toBeGreaterThanOrEqual(4);
  await expectSoon(line).toContainText(/\d+ of \d+ tensors/);
  // Some parts stored, but well before the end: the reload lands in the middle.
  const midway = `^[1-${Math.min(9, shards.length - 2)}] of ${shards.length} parts stored`;
  await expectSoon(line).toContainText(new RegExp(midway), {
    timeout: 60_000,
  });

  // Reload in the middle: the build is found paused, with what it finished.
  await page.reload();
  const stored = page.getByTestId('build-stored');
  await expectSoon(stored).toHaveAttribute('data-phase', 'paused');
  await expectSoon(stored).toContainText(`of ${shards.length} parts`);
  await expectSoon(stored).toContainText(testRevision.slice(0, 12));
  const partsBefore = Number(/after (\d+) of/.exec((await stored.textContent()) ?? '')?.[1]);
  expect(partsBefore).toBeGreaterThan(0);
  expect(partsBefore).toBeLessThan(shards.length);
  // Nothing loadable yet: no tensor list, no chat config.
  const paused = await cacheKeys(page);
  expect(paused['webllm/config']).toEqual([]);
  expect(paused['webllm/model']?.some((url) => url.endsWith('tensor-cache.json'))).toBe(false);
  // The reload may fall between storing a shard and recording it: that shard is converted again.
  expect(paused['webllm/model']?.length).toBeGreaterThanOrEqual(partsBefore);
  expect(paused['webllm/model']?.length).toBeLessThanOrEqual(partsBefore + 1);

  server.fileHost.slow.delayMs = 1;
  server.fileHost.slow.pieceBytes = 64 * 1024;
  await page.getByRole('button', { name: 'Resume build' }).click();
  const radio = page.getByRole('radio', {
    name: /DimMem-4B q4f32_1 \(developer test build from 127\.0\.0\.1:\d+, wtqiu\/DimMem-4B-Longmemeval@a1b2c3d\)/,
  });
  await expectSoon(radio).toBeChecked({ timeout: 60_000 });
  const row = page.locator('[data-model-id*=":built:dev-"]');
  await expectSoon(row).toContainText('Downloaded');
  await expectSoon(row).toContainText('developer test build: not the published checkpoint');

  // Exactly the keys WebLLM derives from the record's model URL (its cleanModelUrl logic).
  const base = webllmModelBaseUrl(buildModelUrl({ hub, repo: testRepo }, testRevision, 'q4f32_1'));
  const keys = await cacheKeys(page);
  expect(keys['webllm/config']).toEqual([`${base}mlc-chat-config.json`]);
  expect(keys['webllm/model']).toEqual(
    [
      `${base}tensor-cache.json`,
      `${base}tokenizer.json`,
      ...shards.map((s) => `${base}${s}`),
    ].sort(),
  );
  expect(keys['webllm/wasm']).toHaveLength(1);
  expect(keys['dimmem/model-build']).toEqual([]);
  expect(libraryRequests).toBe(1);

  // Every checkpoint read went to the pinned commit through the hub, and arrived as ranges from
  // the file host on the other port.
  const resolves = server.hub.requests.filter((r) => r.path.includes('/resolve/'));
  expect(resolves.length).toBeGreaterThan(0);
  expect(resolves.every((r) => r.path.includes(`/resolve/${testRevision}/`))).toBe(true);
  const ranged = server.fileHost.requests.filter((r) => r.path.endsWith('.safetensors'));
  expect(ranged.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? ''))).toBe(true);
  // A single range is a CORS-safelisted header: no preflight, so any file host that allows
  // plain cross-origin GETs (as Hugging Face's do) serves the build.
  const methods = [...server.hub.requests, ...server.fileHost.requests].map((r) => r.method);
  expect(methods.filter((method) => method !== 'GET')).toEqual([]);

  // The revision and the source hashes are shown with the build.
  const built = page.locator('[data-built-id]');
  await built.getByText('Revision and source hashes').click();
  await expectSoon(built).toContainText(testRevision);
  await expectSoon(built).toContainText(
    `sha256:${server.sha256.get('model-00001-of-00002.safetensors')}`,
  );

  // Save this build to a folder: an MLC folder the folder loader reads back.
  await built.getByRole('button', { name: 'Save this build to a folder' }).click();
  await expectSoon(page.getByTestId('folder-save')).toHaveAttribute('data-state', 'saved');
  const saved = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle('DimMem-4B-q4f32_1-MLC');
    const files: Record<string, number> = {};
    for await (const [name, handle] of (
      folder as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }
    ).entries()) {
      files[name] = (await handle.getFile()).size;
    }
    return files;
  });
  const names = Object.keys(saved);
  expect(names.filter((name) => !name.endsWith('.wasm')).sort()).toEqual(
    [
      'BUILD-INFO.json',
      'mlc-chat-config.json',
      'tensor-cache.json',
      'tokenizer.json',
      ...shards,
    ].sort(),
  );
  expect(names.filter((name) => name.endsWith('.wasm'))).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('pauses and discards a build: the parts it stored are removed and nothing is listed', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  server.fileHost.slow.delayMs = 40;
  server.fileHost.slow.pieceBytes = 1024;
  const hub = server.hub.origin;
  const fileHost = server.fileHost.origin;
  await page.goto(
    `/?view=model&devCheckpointHub=${hub}&devCheckpointHosts=${fileHost}&devCheckpointShardKb=${shardKb}`,
  );
  const reloaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Reload now' }).click();
  await reloaded;
  await page.getByRole('button', { name: 'Build DimMem-4B q4f32_1' }).click();
  await expectSoon(page.getByTestId('build-progress-line')).toContainText(
    /[1-9] of \d+ parts stored/,
    {
      timeout: 60_000,
    },
  );
  await page.getByRole('button', { name: 'Pause' }).click();
  const stored = page.getByTestId('build-stored');
  await expectSoon(stored).toHaveAttribute('data-phase', 'paused');
  const before = await cacheKeys(page);
  expect(before['webllm/model']?.length).toBeGreaterThan(0);
  expect(before['dimmem/model-build']).toHaveLength(1);

  await page.getByRole('button', { name: 'Discard build' }).click();
  await expectSoon(stored).toHaveCount(0);
  await expectSoon(page.getByRole('button', { name: 'Build DimMem-4B q4f32_1' })).toBeEnabled();
  const after = await cacheKeys(page);
  expect(after['webllm/model']).toEqual([]);
  expect(after['webllm/config']).toEqual([]);
  expect(after['dimmem/model-build']).toEqual([]);
  await expectSoon(page.locator('[data-model-id*=":built:"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('refuses a checkpoint with its own lm_head, naming it, and stores nothing', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const untied = await startCheckpointHub(
    syntheticQwen3Checkpoint({ seed: 5, files: 1, lmHead: 'different' }).files,
  );
  try {
    const hub = untied.hub.origin;
    await page.goto(
      `/?view=model&devCheckpointHub=${hub}&devCheckpointHosts=${untied.fileHost.origin}`,
    );
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Reload now' }).click();
    await reloaded;
    await page.getByRole('button', { name: 'Build DimMem-4B q4f32_1' }).click();
    const error = page.getByTestId('build-error');
    await expectSoon(error).toHaveAttribute('data-code', 'checkpoint-refused');
    await expectSoon(error).toContainText('cannot run on WebLLM’s prebuilt Qwen3-4B library');
    await expectSoon(error).toContainText('lm_head.weight');
    const keys = await cacheKeys(page);
    expect(keys['webllm/model']).toEqual([]);
    expect(keys['webllm/config']).toEqual([]);
    // The failed build can be discarded; then a new one can start.
    await page.getByRole('button', { name: 'Discard build' }).click();
    await expectSoon(error).toHaveCount(0);
    expect((await cacheKeys(page))['dimmem/model-build']).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await untied.close();
  }
});
