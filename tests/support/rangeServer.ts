import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A static file host on 127.0.0.1 that answers single-range GET requests the way Hugging Face's
 * file hosts do (206 with Content-Range, CORS for any origin), plus the ways real hosts misbehave:
 * a path prefix `/ignore-range/` answers 200 with the whole file, `/drop-once/` cuts the
 * connection halfway through the first answer for each file, `/slow/` sends in small timed pieces.
 * A second server can be named as `redirectTo`: `/redirect/<path>` then answers 302 to it, as
 * `huggingface.co/<repo>/resolve/…` redirects to a file host.
 */
export interface RangeServer {
  origin: string;
  /** Path → body; change it to change what is served. */
  files: Map<string, Uint8Array>;
  /** Every request: method, path and Range header. */
  requests: { method: string; path: string; range: string | null }[];
  /** How many bytes each body piece of `/slow/` has and how long it waits before each (ms). */
  slow: { pieceBytes: number; delayMs: number };
  close(): Promise<void>;
}

export interface RangeServerOptions {
  files?: Map<string, Uint8Array>;
  redirectTo?: () => string;
  /** Extra routes answered before the file routes (an API, for instance); true when handled. */
  extra?: (request: IncomingMessage, response: ServerResponse, path: string) => boolean;
}

function parseRange(header: string | undefined, size: number): [number, number] | 'bad' | null {
  if (!header) return null;
  const match = /^bytes=(\d+)-(\d*)$/.exec(header);
  if (!match) return 'bad';
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'bad';
  return [start, end];
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startRangeServer(options: RangeServerOptions = {}): Promise<RangeServer> {
  const files = options.files ?? new Map<string, Uint8Array>();
  const requests: RangeServer['requests'] = [];
  const droppedOnce = new Set<string>();
  const slow = { pieceBytes: 64 * 1024, delayMs: 20 };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const range = request.headers.range ?? null;
      requests.push({ method: request.method ?? 'GET', path: url.pathname, range });
      response.setHeader('Access-Control-Allow-Origin', '*');
      response.setHeader('Access-Control-Expose-Headers', 'Content-Range, Content-Length, ETag');
      if (request.method === 'OPTIONS') {
        response.writeHead(204, {
          'Access-Control-Allow-Headers': 'Range',
          'Access-Control-Allow-Methods': 'GET, HEAD',
        });
        response.end();
        return;
      }
      if (options.extra?.(request, response, url.pathname)) return;
      const [, mode = '', ...rest] = url.pathname.split('/');
      const modes = ['redirect', 'ignore-range', 'drop-once', 'slow'];
      const path = modes.includes(mode) ? `/${rest.join('/')}` : url.pathname;
      if (mode === 'redirect' && options.redirectTo) {
        response.writeHead(302, { Location: `${options.redirectTo()}${path}${url.search}` });
        response.end();
        return;
      }
      const body = files.get(decodeURIComponent(path));
      if (!body) {
        response.writeHead(404);
        response.end('not found');
        return;
      }
      const parsed = mode === 'ignore-range' ? null : parseRange(range ?? undefined, body.length);
      if (parsed === 'bad') {
        response.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
        response.end();
        return;
      }
      const [start, end] = parsed ?? [0, body.length - 1];
      const part = body.subarray(start, end + 1);
      const headers: Record<string, string> = {
        'Content-Length': String(part.length),
        'Accept-Ranges': mode === 'ignore-range' ? 'none' : 'bytes',
        ETag: '"fixed"',
      };
      if (parsed) headers['Content-Range'] = `bytes ${start}-${end}/${body.length}`;
      response.writeHead(parsed ? 206 : 200, headers);
      if (mode === 'drop-once' && !droppedOnce.has(path) && part.length > 1) {
        droppedOnce.add(path);
        response.write(part.subarray(0, Math.floor(part.length / 2)));
        await wait(10);
        response.socket?.destroy();
        return;
      }
      if (mode === 'slow') {
        for (let offset = 0; offset < part.length; offset += slow.pieceBytes) {
          await wait(slow.delayMs);
          if (response.destroyed) return;
          response.write(part.subarray(offset, offset + slow.pieceBytes));
        }
        response.end();
        return;
      }
      response.end(part);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    files,
    requests,
    slow,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
