import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BuildError } from '../../../../src/engine/convert/buildError';
import { createRangeReader, parseContentRange } from '../../../../src/engine/convert/rangeReader';
import { startRangeServer } from '../../../support/rangeServer';
import type { RangeServer } from '../../../support/rangeServer';

const shard = new Uint8Array(randomBytes(300_000));
let fileHost: RangeServer;
let hub: RangeServer;

beforeAll(async () => {
  fileHost = await startRangeServer({ files: new Map([['/shard.safetensors', shard]]) });
  // The hub keeps nothing itself: it redirects every download to the file host, on another port.
  hub = await startRangeServer({ redirectTo: () => fileHost.origin });
});
afterAll(async () => {
  await hub.close();
  await fileHost.close();
});

function readerAt(prefix: string, options: Parameters<typeof createRangeReader>[0] | object = {}) {
  return createRangeReader({
    urlOf: (file) => `${prefix}/${file}`,
    retryDelayMs: () => 5,
    ...options,
  });
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

describe('reading checkpoint bytes with range requests', () => {
  it('reads exactly the bytes asked for, with one single-range request each', async () => {
    const reader = readerAt(fileHost.origin);
    const before = fileHost.requests.length;
    expect(await reader.read('shard.safetensors', 1000, 5000)).toEqual(shard.subarray(1000, 5000));
    expect(await reader.read('shard.safetensors', 299_990, 300_000)).toEqual(
      shard.subarray(299_990),
    );
    expect(fileHost.requests.slice(before).map((r) => r.range)).toEqual([
      'bytes=1000-4999',
      'bytes=299990-299999',
    ]);
  });

  it('follows the hub’s redirect to the file host on a second port, keeping the range', async () => {
    const reader = readerAt(`${hub.origin}/redirect`);
    const before = fileHost.requests.length;
    expect(await reader.read('shard.safetensors', 123, 45_678)).toEqual(
      shard.subarray(123, 45_678),
    );
    expect(hub.requests.at(-1)).toMatchObject({ path: '/redirect/shard.safetensors' });
    expect(fileHost.requests.slice(before)).toEqual([
      { method: 'GET', path: '/shard.safetensors', range: 'bytes=123-45677' },
    ]);
  });

  it('asks the server for a size the listing did not give, and uses a known one without asking', async () => {
    const reader = readerAt(fileHost.origin);
    expect(await reader.size('shard.safetensors')).toBe(300_000);
    const before = fileHost.requests.length;
    const known = readerAt(fileHost.origin, { knownSize: () => 42 });
    expect(await known.size('shard.safetensors')).toBe(42);
    expect(fileHost.requests.length).toBe(before);
  });

  it('resumes a dropped connection from the last byte received, not from the start', async () => {
    const received: number[] = [];
    const reader = readerAt(`${fileHost.origin}/drop-once`, {
      onBytes: (bytes: number) => received.push(bytes),
    });
    const before = fileHost.requests.length;
    expect(await reader.read('shard.safetensors', 0, 200_000)).toEqual(shard.subarray(0, 200_000));
    const ranges = fileHost.requests.slice(before).map((r) => r.range);
    expect(ranges[0]).toBe('bytes=0-199999');
    expect(ranges).toHaveLength(2);
    const resumedAt = Number(/^bytes=(\d+)-199999$/.exec(ranges[1] ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(100_000);
    // Every byte is counted once: the resumed request does not count the first half again.
    expect(received.reduce((a, b) => a + b, 0)).toBe(200_000);
  });

  it('reads the head of a file from a server that ignores Range, and refuses anything further in clearly', async () => {
    const reader = readerAt(`${fileHost.origin}/ignore-range`);
    expect(await reader.read('shard.safetensors', 0, 8)).toEqual(shard.subarray(0, 8));
    const error = await buildErrorOf(reader.read('shard.safetensors', 1000, 2000));
    expect(error.code).toBe('no-range-support');
    expect(error.message).toContain('ignores byte ranges');
    expect(error.detail).toContain('with the whole file');
  });

  it('says which file is missing, and calls a range past the end of a shorter file as truncated', async () => {
    const reader = readerAt(fileHost.origin);
    // The converter names the missing file from this error (core/convert/errors.ts).
    await expect(reader.read('model-00002-of-00002.safetensors', 0, 10)).rejects.toMatchObject({
      name: 'CheckpointFileMissingError',
      file: 'model-00002-of-00002.safetensors',
    });
    const truncated = await buildErrorOf(reader.read('shard.safetensors', 300_000, 300_100));
    expect(truncated.code).toBe('source-truncated');
  });

  it('gives up after its retries when the host stays unreachable, saying the network failed', async () => {
    const closed = await startRangeServer();
    const url = closed.origin;
    await closed.close();
    const reader = createRangeReader({
      urlOf: (file) => `${url}/${file}`,
      retries: 2,
      retryDelayMs: () => 1,
    });
    const error = await buildErrorOf(reader.read('shard.safetensors', 0, 10));
    expect(error.code).toBe('network');
    expect(error.message).toContain('finished parts are kept');
  });

  it('stops at once when its signal is aborted (pause and cancel)', async () => {
    const controller = new AbortController();
    fileHost.slow.delayMs = 50;
    fileHost.slow.pieceBytes = 1000;
    const reader = readerAt(`${fileHost.origin}/slow`, { signal: controller.signal });
    const reading = reader.read('shard.safetensors', 0, 300_000);
    setTimeout(() => controller.abort(), 80);
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads Content-Range headers', () => {
    expect(parseContentRange('bytes 10-19/300')).toEqual({ start: 10, end: 19, total: 300 });
    expect(parseContentRange('bytes 10-19/*')).toEqual({ start: 10, end: 19, total: null });
    expect(parseContentRange(null)).toBeNull();
    expect(parseContentRange('items 1-2/3')).toBeNull();
  });
});
