import { abortableSleep } from '../../core/time/abortableSleep';
import { CheckpointFileMissingError } from '../../core/convert/errors';
import type { CheckpointReader } from '../../core/convert/types';
import { BuildError } from './buildError';

/**
 * Reads byte ranges of remote files with single-range GET requests (`Range: bytes=a-b`), the way
 * a 4 GB safetensors shard can be converted in row blocks without holding it in memory. Redirects
 * (Hugging Face sends every download to its file hosts) are followed by `fetch` itself, which
 * keeps the Range header. A connection that drops mid-body is resumed from the last byte received.
 */
export interface RangeReaderOptions {
  /** The URL of a file of the checkpoint. */
  urlOf: (file: string) => string;
  /** The file's size when known (from the hub's listing); asked from the server otherwise. */
  knownSize?: (file: string) => number | undefined;
  fetch?: typeof fetch;
  /** Tries per range after a network error or a 5xx answer, counted since the last progress. */
  retries?: number;
  /** Waits between tries (ms); exponential by default. */
  retryDelayMs?: (attempt: number) => number;
  /** Every body chunk received, for speed and progress. */
  onBytes?: (bytes: number) => void;
  /** Stops every request (pause and cancel). */
  signal?: AbortSignal;
}

export type RangeReader = CheckpointReader;

/** `bytes a-b/total` → its numbers; null when absent or unreadable (not exposed by CORS). */
export function parseContentRange(
  header: string | null,
): { start: number; end: number; total: number | null } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    total: match[3] === '*' ? null : Number(match[3]),
  };
}

function combinedSignal(a?: AbortSignal, b?: AbortSignal): AbortSignal | undefined {
  if (!a) return b;
  if (!b) return a;
  return AbortSignal.any([a, b]);
}

class RetryableError extends Error {}

export function createRangeReader(options: RangeReaderOptions): RangeReader {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const retries = options.retries ?? 6;
  const delay = options.retryDelayMs ?? ((attempt) => Math.min(30_000, 500 * 2 ** attempt));
  const sizes = new Map<string, number>();

  async function request(url: string, range: string | null, signal?: AbortSignal) {
    try {
      return await fetchFn(url, {
        signal,
        cache: 'no-store',
        headers: range ? { Range: range } : {},
      });
    } catch (error) {
      signal?.throwIfAborted();
      throw new RetryableError(`${url}: network error`, { cause: error });
    }
  }

  function failOnStatus(url: string, file: string, status: number): never {
    // The converter names a missing file itself when the reader says so with this error.
    if (status === 404) throw new CheckpointFileMissingError(file);
    if (status === 416) throw new BuildError('source-truncated', `${file}: range past its end`);
    if (status >= 500 || status === 429 || status === 408) {
      throw new RetryableError(`${url}: HTTP ${status}`);
    }
    throw new BuildError('network', `${url}: HTTP ${status}`);
  }

  /** Runs one attempt after another until it succeeds, fails for good, or is stopped. */
  async function withRetries<T>(
    signal: AbortSignal | undefined,
    attempt: (noteProgress: () => void) => Promise<T>,
  ): Promise<T> {
    let failures = 0;
    for (;;) {
      try {
        return await attempt(() => {
          failures = 0;
        });
      } catch (error) {
        signal?.throwIfAborted();
        if (!(error instanceof RetryableError)) throw error;
        if (failures >= retries) throw new BuildError('network', error.message, { cause: error });
        await abortableSleep(delay(failures), signal);
        signal?.throwIfAborted();
        failures += 1;
      }
    }
  }

  async function size(file: string): Promise<number> {
    const known = sizes.get(file) ?? options.knownSize?.(file);
    if (known !== undefined) return known;
    const url = options.urlOf(file);
    const signal = options.signal;
    const found = await withRetries(signal, async () => {
      const response = await request(url, 'bytes=0-0', signal);
      if (!response.ok) failOnStatus(url, file, response.status);
      await response.body?.cancel();
      const total = parseContentRange(response.headers.get('content-range'))?.total ?? null;
      if (response.status === 206 && total !== null) return total;
      const length = Number(response.headers.get('content-length'));
      if (response.status === 200 && Number.isFinite(length) && length > 0) return length;
      throw new BuildError('no-range-support', `${url}: its size cannot be read`);
    });
    sizes.set(file, found);
    return found;
  }

  async function read(
    file: string,
    start: number,
    endExclusive: number,
    readSignal?: AbortSignal,
  ): Promise<Uint8Array> {
    const signal = combinedSignal(options.signal, readSignal);
    const wanted = endExclusive - start;
    const out = new Uint8Array(Math.max(0, wanted));
    if (wanted <= 0) return out;
    const url = options.urlOf(file);
    let filled = 0;
    await withRetries(signal, async (noteProgress) => {
      const from = start + filled;
      const response = await request(url, `bytes=${from}-${endExclusive - 1}`, signal);
      if (!response.ok) failOnStatus(url, file, response.status);
      // A server that ignores Range answers 200 with the whole file: usable only for its head.
      if (response.status === 200) {
        if (from !== 0) {
          await response.body?.cancel();
          throw new BuildError(
            'no-range-support',
            `${url} answered a request for bytes ${from}–${endExclusive - 1} with the whole file`,
          );
        }
      } else {
        const range = parseContentRange(response.headers.get('content-range'));
        if (range && range.start !== from) {
          await response.body?.cancel();
          throw new BuildError(
            'no-range-support',
            `${url} sent bytes from ${range.start}, not ${from}`,
          );
        }
      }
      const body = response.body;
      if (!body) throw new RetryableError(`${url}: empty answer`);
      const reader = body.getReader();
      try {
        while (filled < wanted) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (error) {
            signal?.throwIfAborted();
            throw new RetryableError(`${url}: the connection dropped`, { cause: error });
          }
          if (chunk.done) break;
          const bytes = chunk.value;
          const take = Math.min(bytes.byteLength, wanted - filled);
          out.set(bytes.subarray(0, take), filled);
          filled += take;
          options.onBytes?.(take);
          if (take > 0) noteProgress();
        }
      } finally {
        // The rest of a whole-file answer (or a surplus) is not needed.
        await reader.cancel().catch(() => {});
      }
      if (filled < wanted) {
        if (response.status === 200) {
          throw new BuildError(
            'source-truncated',
            `${file} ends at byte ${filled}, before ${endExclusive}`,
          );
        }
        // A 206 that ended early: the connection closed; continue from here.
        throw new RetryableError(`${url}: the answer stopped at byte ${from + filled}`);
      }
    });
    return out;
  }

  async function readText(file: string): Promise<string> {
    const url = options.urlOf(file);
    const signal = options.signal;
    return withRetries(signal, async () => {
      const response = await request(url, null, signal);
      if (!response.ok) failOnStatus(url, file, response.status);
      try {
        const text = await response.text();
        options.onBytes?.(text.length);
        return text;
      } catch (error) {
        signal?.throwIfAborted();
        throw new RetryableError(`${url}: the connection dropped`, { cause: error });
      }
    });
  }

  return { readText, size, read };
}
