import { EngineError } from '../errors/engineError';
import type { EngineErrorCode } from '../errors/engineError';

/** One file of a model folder, ready to stream into the cache. */
export interface SourceFile {
  body: ReadableStream<Uint8Array>;
  /** Size in bytes when known up front. */
  size: number | null;
}

/** Where the files of one model folder come from: a web server, or a folder the user picked. */
export interface ModelFileSource {
  /** Human-readable origin, for messages. */
  readonly description: string;
  /** Opens a file by its path inside the folder; null when the folder has no such file. */
  open(path: string, signal?: AbortSignal): Promise<SourceFile | null>;
}

/** Files served under a base URL (Hugging Face `resolve/main/`, a static host, `public/models/`). */
export function urlFileSource(
  baseUrl: string,
  fetchFn: typeof fetch = (input, init) => fetch(input, init),
  failureCode: EngineErrorCode = 'model-files-unavailable',
): ModelFileSource {
  return {
    description: baseUrl,
    async open(path, signal) {
      const url = new URL(path, baseUrl).href;
      let response: Response;
      try {
        response = await fetchFn(url, { signal, cache: 'no-store' });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new EngineError(failureCode, `${url}: network error`, { cause: error });
      }
      if (response.status === 404) return null;
      if (!response.ok || !response.body) {
        throw new EngineError(failureCode, `${url}: HTTP ${response.status}`);
      }
      const length = Number(response.headers.get('content-length'));
      return { body: response.body, size: Number.isFinite(length) && length > 0 ? length : null };
    },
  };
}

/** Path of a picked file inside its folder: `webkitRelativePath` without the folder's own name. */
export function pathInFolder(file: File): string {
  const relative = file.webkitRelativePath || file.name;
  const slash = relative.indexOf('/');
  return slash >= 0 ? relative.slice(slash + 1) : relative;
}

/** The files of a folder picked with `<input type="file" webkitdirectory>`: no network at all. */
export function folderFileSource(folderName: string, files: readonly File[]): ModelFileSource {
  const byPath = new Map(files.map((file) => [pathInFolder(file), file]));
  return {
    description: `folder "${folderName}"`,
    async open(path) {
      const file = byPath.get(path);
      if (!file) return null;
      return { body: file.stream(), size: file.size };
    },
  };
}

/** A model library shipped inside a picked folder: the one `.wasm` file, whatever URL it is asked by. */
export function folderLibrarySource(
  folderName: string,
  files: readonly File[],
): ModelFileSource | null {
  const wasm = files.filter((file) => file.name.endsWith('.wasm'));
  const only = wasm.length === 1 ? wasm[0] : undefined;
  if (!only) return null;
  return {
    description: `folder "${folderName}"`,
    async open() {
      return { body: only.stream(), size: only.size };
    },
  };
}
