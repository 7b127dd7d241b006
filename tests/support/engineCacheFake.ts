import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Test doubles for the model installer: an in-memory Cache Storage and a static host that serves
 * a tiny MLC model folder. Both behave like the browser where the installer relies on it: a cache
 * entry exists only once its whole body was read, keys are URLs, and a download can fail before
 * the response or halfway through the body.
 */

type CacheKey = RequestInfo | URL;

function urlOf(key: CacheKey): string {
  if (key instanceof Request) return key.url;
  return new URL(String(key)).href;
}

interface StoredResponse {
  bytes: Uint8Array;
  headers: [string, string][];
}

/** One named cache: only `match`, `put`, `delete` and `keys`, the methods the app calls. */
class MemoryCache {
  readonly entries = new Map<string, StoredResponse>();

  constructor(private readonly storage: MemoryCacheStorage) {}

  async match(key: CacheKey): Promise<Response | undefined> {
    const stored = this.entries.get(urlOf(key));
    if (!stored) return undefined;
    return new Response(stored.bytes.slice(), { headers: stored.headers });
  }

  /** Like the browser: the body is read to its end first; a body that fails stores nothing. */
  async put(key: CacheKey, response: Response): Promise<void> {
    const url = urlOf(key);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const previous = this.entries.get(url)?.bytes.byteLength ?? 0;
    if (this.storage.usedBytes() - previous + bytes.byteLength > this.storage.quotaBytes) {
      throw new DOMException('Quota exceeded.', 'QuotaExceededError');
    }
    this.entries.set(url, { bytes, headers: [...response.headers] });
  }

  async delete(key: CacheKey): Promise<boolean> {
    return this.entries.delete(urlOf(key));
  }

  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
}

/** `caches`, in memory, with an optional quota (as the browser's storage quota). */
export class MemoryCacheStorage {
  private readonly named = new Map<string, MemoryCache>();

  constructor(readonly quotaBytes = Number.POSITIVE_INFINITY) {}

  async open(name: string): Promise<MemoryCache> {
    let cache = this.named.get(name);
    if (!cache) {
      cache = new MemoryCache(this);
      this.named.set(name, cache);
    }
    return cache;
  }

  usedBytes(): number {
    let used = 0;
    for (const cache of this.named.values()) {
      for (const stored of cache.entries.values()) used += stored.bytes.byteLength;
    }
    return used;
  }

  /** Every stored URL of one cache, sorted. */
  urls(name: string): string[] {
    return [...(this.named.get(name)?.entries.keys() ?? [])].sort();
  }

  /** The stored bytes of one entry, for content checks. */
  bytesOf(name: string, url: string): Uint8Array | undefined {
    return this.named.get(name)?.entries.get(url)?.bytes;
  }

  /** The app's type: only the methods above exist, which is all the code under test calls. */
  asCacheStorage(): CacheStorage {
    return this as unknown as CacheStorage;
  }
}

/**
 * How a request fails: `offline` rejects like `fetch` without a network; `cut` sends the headers
 * and half the body, then drops the connection.
 */
export type HostFailure = 'offline' | 'cut';

export interface FakeHost {
  fetch: typeof fetch;
  /** Every URL fetched, in order. */
  requests: string[];
  /** Full URL → body; change it to change what the server sends. */
  files: Map<string, Uint8Array>;
  /** Full URL → how its next requests fail, until removed. */
  failures: Map<string, HostFailure>;
  /** When true, every request fails as without a network. */
  offline: boolean;
}

/** Bodies arrive in pieces of this size, so that progress is reported several times per file. */
const pieceBytes = 1024;

function streamOf(bytes: Uint8Array, cutAt: number | null, signal?: AbortSignal | null) {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (signal?.aborted) {
        controller.error(signal.reason);
        return;
      }
      if (cutAt !== null && offset >= cutAt) {
        controller.error(new TypeError('network error'));
        return;
      }
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(offset + pieceBytes, cutAt ?? bytes.byteLength, bytes.byteLength);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  });
}

export function createFakeHost(files: Map<string, Uint8Array> = new Map()): FakeHost {
  const host: FakeHost = {
    requests: [],
    files,
    failures: new Map(),
    offline: false,
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      host.requests.push(url);
      const signal = init?.signal;
      if (signal?.aborted) throw signal.reason;
      const failure = host.offline ? 'offline' : host.failures.get(url);
      if (failure === 'offline') throw new TypeError('Failed to fetch');
      const body = host.files.get(url);
      if (!body) return new Response('not found', { status: 404 });
      const cutAt = failure === 'cut' ? Math.floor(body.byteLength / 2) : null;
      return new Response(streamOf(body, cutAt, signal), {
        headers: { 'Content-Length': String(body.byteLength) },
      });
    },
  };
  return host;
}

const encoder = new TextEncoder();

export interface TinyModelOptions {
  quantization?: string;
  shardBytes?: readonly number[];
  /** The tensor list's file name: MLC builds before 2025 wrote `ndarray-cache.json`. */
  tensorCacheName?: 'tensor-cache.json' | 'ndarray-cache.json';
}

/** Shard `i` is filled with the byte `i + 1`, so stored content can be told apart. */
export function shardPath(index: number): string {
  return `params_shard_${index}.bin`;
}

/**
 * The files of an MLC model folder, small: the real Qwen3-4B `mlc-chat-config.json` (with the
 * quantization asked for), a tensor list naming the shards and their sizes, the shards, and
 * `tokenizer.json`.
 */
export function tinyModelFolder(options: TinyModelOptions = {}): Map<string, Uint8Array> {
  const { quantization = 'q4f16_1', shardBytes = [3000, 5000] } = options;
  const configPath = fileURLToPath(new URL('engineQwen3ChatConfig.json', import.meta.url));
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  const records = shardBytes.map((nbytes, i) => ({
    dataPath: shardPath(i),
    format: 'raw-shard',
    nbytes,
    records: [{ name: `param_${i}`, shape: [nbytes], dtype: 'uint8', format: 'raw', nbytes }],
  }));
  const tensorList = { metadata: { ParamSize: shardBytes.length }, records };
  const files = new Map<string, Uint8Array>([
    ['mlc-chat-config.json', encoder.encode(JSON.stringify({ ...config, quantization }))],
    [options.tensorCacheName ?? 'tensor-cache.json', encoder.encode(JSON.stringify(tensorList))],
    ['tokenizer.json', encoder.encode('{"version":"1.0","model":{"type":"BPE"}}')],
  ]);
  shardBytes.forEach((nbytes, i) => files.set(shardPath(i), new Uint8Array(nbytes).fill(i + 1)));
  return files;
}

/** A stand-in model library: only the WebAssembly magic number and version. */
export const fakeLibraryBytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** The folder's files under a base URL, as a static host serves them. */
export function servedAt(baseUrl: string, folder: Map<string, Uint8Array>) {
  return new Map([...folder].map(([path, bytes]) => [new URL(path, baseUrl).href, bytes]));
}

/** A picked file that reads in pieces, as a browser reads a file from disk (Node: in one go). */
class PickedFile extends File {
  constructor(
    private readonly content: Uint8Array,
    name: string,
    override readonly webkitRelativePath: string,
  ) {
    super([new Uint8Array(content)], name);
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return streamOf(this.content, null) as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}

/** The folder as `<input type="file" webkitdirectory>` hands it over. */
export function pickedFolder(folderName: string, folder: Map<string, Uint8Array>): File[] {
  return [...folder].map(
    ([path, bytes]) =>
      new PickedFile(bytes, path.split('/').pop() ?? path, `${folderName}/${path}`),
  );
}
