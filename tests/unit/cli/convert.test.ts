import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { convertShard, inspectCheckpoint, md5Hex, planMlcOutput } from '../../../src/core/convert';
import type { TensorCacheJson } from '../../../src/core/convert';
import { checkChatConfig } from '../../../src/engine/catalog/chatConfig';
import type { CliRun } from '../../support/cliProcess';
import { runCli } from '../../support/cliProcess';
import { memoryCheckpointReader } from '../../support/convert/memoryReader';
import { syntheticQwen3Checkpoint } from '../../support/convert/syntheticCheckpoint';

/** The real CLI in a child process; `env` adds variables (a local Hugging Face stand-in). */
const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
  runCli(args, undefined, env);

let work: string;
const synthetic = syntheticQwen3Checkpoint({ seed: 9, files: 3 });

async function writeCheckpoint(folder: string, files: Map<string, Uint8Array>) {
  await mkdir(folder, { recursive: true });
  for (const [name, bytes] of files) await writeFile(path.join(folder, name), bytes);
  return folder;
}

/** The shard bytes the converter produces in-process, to compare with what the CLI wrote. */
async function expectedShards(quantization: 'q4f16_1' | 'q4f32_1') {
  const { reader } = memoryCheckpointReader(synthetic.files);
  const inspection = await inspectCheckpoint(reader);
  if (!inspection.convertible) throw new Error('synthetic checkpoint refused');
  const { checkpoint } = inspection;
  const plan = planMlcOutput(checkpoint.config, quantization, {
    loadingOrder: checkpoint.loadingOrder,
  });
  const siblings = new Map<string, Uint8Array>();
  const shards = [];
  for (let i = 0; i < plan.shards.length; i += 1) {
    shards.push(await convertShard(plan, i, { reader, tensors: checkpoint.tensors }, { siblings }));
  }
  return shards;
}

async function verifyFolder(out: string, quantization: 'q4f16_1' | 'q4f32_1') {
  const cache = JSON.parse(
    await readFile(path.join(out, 'tensor-cache.json'), 'utf8'),
  ) as TensorCacheJson;
  const expected = await expectedShards(quantization);
  expect(cache.records.map((shard) => shard.dataPath)).toEqual(
    expected.map((shard) => shard.dataPath),
  );
  for (const [index, shard] of cache.records.entries()) {
    const bytes = new Uint8Array(await readFile(path.join(out, shard.dataPath)));
    expect(bytes.byteLength).toBe(shard.nbytes);
    expect(await md5Hex(bytes)).toBe(shard.md5sum);
    expect(shard.md5sum).toBe(expected[index]?.md5);
  }
  const chat = JSON.parse(
    await readFile(path.join(out, 'mlc-chat-config.json'), 'utf8'),
  ) as unknown;
  expect(checkChatConfig(chat, quantization)).toMatchObject({ ok: true });
  expect(chat).toMatchObject({
    tokenizer_files: ['tokenizer.json', 'tokenizer_config.json'],
    model_config: { hidden_size: 64 },
  });
  expect(await readFile(path.join(out, 'tokenizer.json'))).toEqual(
    Buffer.from(synthetic.files.get('tokenizer.json') as Uint8Array),
  );
  return cache;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'dimmem-convert-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

// Each case starts the CLI several times (a few seconds each on a busy machine).
describe('cli convert', { timeout: 180_000 }, () => {
  it('converts a checkpoint folder with worker threads, then a rerun keeps every shard and a damaged shard is rewritten', async () => {
    const checkpoint = await writeCheckpoint(path.join(work, 'ckpt'), synthetic.files);
    const out = path.join(work, 'out-q4f16');
    const args = [
      'convert',
      checkpoint,
      '--quant',
      'q4f16_1',
      '--out',
      out,
      '--any-qwen3-shape',
      '--workers',
      '2',
    ];
    const first = await cli(args);
    expect(first.stderr).toMatch(/27 tensors in 1 shards/);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    await verifyFolder(out, 'q4f16_1');
    const info = JSON.parse(await readFile(path.join(out, 'convert-info.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(info).toMatchObject({ source: checkpoint, quantization: 'q4f16_1', complete: true });

    const shardFile = path.join(out, 'params_shard_0.bin');
    const before = await stat(shardFile);
    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/1 shards kept from an earlier run/);
    expect((await stat(shardFile)).mtimeMs).toBe(before.mtimeMs);

    const damaged = new Uint8Array(await readFile(shardFile));
    damaged[100] = (damaged[100] as number) ^ 0xff;
    await writeFile(shardFile, damaged);
    const repaired = await cli(args);
    expect(repaired.code).toBe(0);
    expect(repaired.stderr).not.toMatch(/kept/);
    await verifyFolder(out, 'q4f16_1');
  });

  it('q4f32_1 in one thread gives the same shards as the converter in process', async () => {
    const checkpoint = await writeCheckpoint(path.join(work, 'ckpt32'), synthetic.files);
    const out = path.join(work, 'out-q4f32');
    const run = await cli([
      'convert',
      checkpoint,
      '--quant',
      'q4f32_1',
      '--out',
      out,
      '--any-qwen3-shape',
      '--workers',
      '1',
      '--context',
      '4096',
    ]);
    expect(run.code).toBe(0);
    await verifyFolder(out, 'q4f32_1');
    const chat = JSON.parse(
      await readFile(path.join(out, 'mlc-chat-config.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(chat.context_window_size).toBe(4096);
  });

  it('refuses what it cannot do, on one line: another shape, an untied head, a non-empty --out', async () => {
    const checkpoint = await writeCheckpoint(path.join(work, 'ckpt-refuse'), synthetic.files);
    const shape = await cli([
      'convert',
      checkpoint,
      '--quant',
      'q4f16_1',
      '--out',
      path.join(work, 'never'),
    ]);
    expect(shape.code).toBe(1);
    expect(shape.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(shape.stderr).toMatch(
      /hidden_size is 64; WebLLM's prebuilt Qwen3-4B library needs 2560.*--any-qwen3-shape converts it anyway/,
    );

    const untied = await writeCheckpoint(
      path.join(work, 'ckpt-untied'),
      syntheticQwen3Checkpoint({ seed: 9, lmHead: 'different' }).files,
    );
    const head = await cli([
      'convert',
      untied,
      '--quant',
      'q4f16_1',
      '--out',
      path.join(work, 'never'),
      '--any-qwen3-shape',
    ]);
    expect(head.code).toBe(1);
    expect(head.stderr).toMatch(
      /lm_head\.weight, different from the embedding.*only a library compiled for an untied head/,
    );

    const busy = path.join(work, 'busy');
    await mkdir(busy, { recursive: true });
    await writeFile(path.join(busy, 'notes.txt'), 'mine');
    const refused = await cli([
      'convert',
      checkpoint,
      '--quant',
      'q4f16_1',
      '--out',
      busy,
      '--any-qwen3-shape',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty.*--overwrite/);
    expect(await readFile(path.join(busy, 'notes.txt'), 'utf8')).toBe('mine');
    const replaced = await cli([
      'convert',
      checkpoint,
      '--quant',
      'q4f16_1',
      '--out',
      busy,
      '--any-qwen3-shape',
      '--overwrite',
    ]);
    expect(replaced.code).toBe(0);
    await verifyFolder(busy, 'q4f16_1');
  });

  it('refuses bad options with exit status 2', async () => {
    const checkpoint = await writeCheckpoint(path.join(work, 'ckpt-usage'), synthetic.files);
    const busy = path.join(work, 'usage-out');
    const usage = await cli(['convert', checkpoint, '--quant', 'q8', '--out', busy]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--quant must be q4f16_1 or q4f32_1, got "q8"/);
    const nowhere = await cli([
      'convert',
      path.join(work, 'no-such-folder'),
      '--quant',
      'q4f16_1',
      '--out',
      busy,
    ]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/neither a folder nor a Hugging Face id/);
  });

  it('reads a Hugging Face id by range requests, pinned to a commit, following the redirect to a file host (local stand-ins)', async () => {
    const commit = 'a'.repeat(40);
    const ranges: string[] = [];
    const files = createServer((request, response) => {
      const name = decodeURIComponent((request.url ?? '').replace(/^\/files\//, ''));
      const bytes = synthetic.files.get(name);
      if (!bytes) return void response.writeHead(404).end();
      const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
      if (!range)
        return void response
          .writeHead(200, { 'content-length': bytes.byteLength })
          .end(Buffer.from(bytes));
      ranges.push(`${name}:${range[1]}-${range[2]}`);
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), bytes.byteLength - 1);
      response
        .writeHead(206, {
          'content-range': `bytes ${start}-${end}/${bytes.byteLength}`,
          'content-length': end - start + 1,
        })
        .end(Buffer.from(bytes.subarray(start, end + 1)));
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const filesPort = (files.address() as AddressInfo).port;
    const hub = createServer((request, response) => {
      const url = request.url ?? '';
      if (url === '/api/models/wtqiu/Tiny-Qwen3/revision/main') {
        return void response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ sha: commit }));
      }
      const prefix = `/wtqiu/Tiny-Qwen3/resolve/${commit}/`;
      if (url.startsWith(prefix)) {
        return void response
          .writeHead(302, {
            location: `http://127.0.0.1:${filesPort}/files/${url.slice(prefix.length)}`,
          })
          .end();
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    try {
      const out = path.join(work, 'out-hf');
      const run = await cli(
        [
          'convert',
          'wtqiu/Tiny-Qwen3',
          '--quant',
          'q4f16_1',
          '--out',
          out,
          '--any-qwen3-shape',
          '--workers',
          '1',
        ],
        {
          HF_ENDPOINT: `http://127.0.0.1:${(hub.address() as AddressInfo).port}`,
        },
      );
      expect(run.stderr).toMatch(new RegExp(`revision main is commit ${commit}`));
      expect(run.code).toBe(0);
      await verifyFolder(out, 'q4f16_1');
      const info = JSON.parse(
        await readFile(path.join(out, 'convert-info.json'), 'utf8'),
      ) as Record<string, unknown>;
      expect(info.source).toBe(`hf:wtqiu/Tiny-Qwen3@${commit}`);
      expect(ranges.some((range) => range.startsWith('model-00002-of-00003.safetensors:'))).toBe(
        true,
      );
    } finally {
      hub.close();
      files.close();
    }
  });
});

describe('the Hugging Face reader', () => {
  it('refuses a server that ignores Range, and retries a connection that drops mid-answer', async () => {
    const bytes = synthetic.files.get('model-00001-of-00003.safetensors') as Uint8Array;
    let drops = 1;
    const server = createServer((request, response) => {
      if (request.url?.startsWith('/whole/')) {
        return void response
          .writeHead(200, { 'content-length': bytes.byteLength })
          .end(Buffer.from(bytes));
      }
      const [, start, end] = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '') ?? [];
      const part = bytes.subarray(Number(start), Number(end) + 1);
      response.writeHead(206, {
        'content-range': `bytes ${start}-${end}/${bytes.byteLength}`,
        'content-length': part.byteLength,
      });
      if (drops > 0) {
        drops -= 1;
        response.write(Buffer.from(part.subarray(0, 10)));
        return void request.socket.destroy();
      }
      response.end(Buffer.from(part));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const previous = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = endpoint;
    try {
      const { huggingFaceCheckpointReader } =
        await import('../../../src/cli/convert/huggingFaceReader');
      const reader = huggingFaceCheckpointReader('owner/model', 'b'.repeat(40));
      const read = await reader.read('model-00001-of-00003.safetensors', 100, 4196);
      expect(Buffer.from(read).equals(Buffer.from(bytes.subarray(100, 4196)))).toBe(true);
      expect(drops).toBe(0);
      process.env.HF_ENDPOINT = `${endpoint}/whole`;
      await expect(reader.read('model-00001-of-00003.safetensors', 0, 100)).rejects.toThrow(
        /ignored the Range header/,
      );
    } finally {
      if (previous === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = previous;
      server.close();
    }
  });
});
