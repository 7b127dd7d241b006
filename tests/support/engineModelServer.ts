import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A tiny fake MLC model folder on 127.0.0.1 for the loader tests: a real-looking
 * mlc-chat-config.json (Qwen3-4B), a tensor list, three 1 MiB weight shards served slowly enough
 * to watch the progress, a tokenizer; and two model libraries: one missing, one that is not
 * WebAssembly. Any origin may read it (CORS), as from a static host.
 */
export const shardCount = 3;
export const shardBytes = 1024 * 1024;

function modelFiles(quantization: string): Map<string, Buffer> {
  const config = JSON.parse(
    readFileSync(fileURLToPath(new URL('engineQwen3ChatConfig.json', import.meta.url)), 'utf8'),
  ) as Record<string, unknown>;
  const records = Array.from({ length: shardCount }, (_, i) => ({
    dataPath: `params_shard_${i}.bin`,
    format: 'raw-shard',
    nbytes: shardBytes,
    records: [
      {
        name: `param_${i}`,
        shape: [shardBytes / 4],
        dtype: 'uint32',
        format: 'raw',
        nbytes: shardBytes,
        byteOffset: 0,
      },
    ],
    md5sum: '',
  }));
  const files = new Map<string, Buffer>([
    ['mlc-chat-config.json', Buffer.from(JSON.stringify({ ...config, quantization }))],
    [
      'tensor-cache.json',
      Buffer.from(JSON.stringify({ metadata: { ParamSize: shardCount }, records })),
    ],
    [
      'tokenizer.json',
      Buffer.from(
        JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: {}, merges: [] } }),
      ),
    ],
  ]);
  for (let i = 0; i < shardCount; i++)
    files.set(`params_shard_${i}.bin`, Buffer.alloc(shardBytes, i + 1));
  return files;
}

export interface ModelServer {
  /** `http://127.0.0.1:<port>/DimMem-4B-{quant}-MLC/` */
  modelUrlTemplate: string;
  missingLibraryTemplate: string;
  invalidLibraryTemplate: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startModelServer(): Promise<ModelServer> {
  const folders = new Map(
    ['q4f16_1', 'q4f32_1'].map((q): [string, Map<string, Buffer>] => [
      `DimMem-4B-${q}-MLC`,
      modelFiles(q),
    ]),
  );
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    response.setHeader('Access-Control-Allow-Origin', '*');
    const [, folder = '', file = ''] = url.pathname.split('/');
    if (folder === 'lib' && file.startsWith('invalid-')) {
      response.writeHead(200, { 'Content-Type': 'application/wasm' });
      response.end(Buffer.from('this is not WebAssembly'));
      return;
    }
    const body = folders.get(folder)?.get(file);
    if (!body) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(200, {
      'Content-Length': body.length,
      'Content-Type': 'application/octet-stream',
    });
    if (!file.endsWith('.bin')) {
      response.end(body);
      return;
    }
    // Weight shards trickle out in 64 KiB pieces so the UI shows progress.
    let offset = 0;
    const timer = setInterval(() => {
      if (response.destroyed) return clearInterval(timer);
      const piece = body.subarray(offset, offset + 64 * 1024);
      offset += piece.length;
      if (offset >= body.length) {
        clearInterval(timer);
        response.end(piece);
      } else {
        response.write(piece);
      }
    }, 25);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    modelUrlTemplate: `${origin}/DimMem-4B-{quant}-MLC/`,
    missingLibraryTemplate: `${origin}/lib/missing-Qwen3-4B-{quant}_cs1k-webgpu.wasm`,
    invalidLibraryTemplate: `${origin}/lib/invalid-Qwen3-4B-{quant}_cs1k-webgpu.wasm`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
