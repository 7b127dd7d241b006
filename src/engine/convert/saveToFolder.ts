import type { ModelRecord } from '@mlc-ai/web-llm';

import {
  modelFiles,
  tensorCacheEntry,
  tensorCacheSchema,
  webllmCacheNames,
  chatConfigEntry,
} from '../cache/modelCacheLayout';

/** The part of the File System Access API used (a `FileSystemDirectoryHandle`). */
export interface DirectoryLike {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<DirectoryLike>;
  getFileHandle(
    name: string,
    options?: { create?: boolean },
  ): Promise<{
    createWritable(): Promise<WritableStream<Uint8Array> & { close?: () => Promise<void> }>;
  }>;
}

export interface SaveProgress {
  filesDone: number;
  filesTotal: number;
  bytesWritten: number;
}

/**
 * Writes a model stored in WebLLM's cache to a folder on disk as an MLC model folder
 * (`mlc-chat-config.json`, `tensor-cache.json`, `tokenizer.json`, `params_shard_*.bin`, the model
 * library `.wasm` when stored, and `BUILD-INFO.json`), which the folder loader reads back and any
 * static host can serve.
 */
export async function saveModelToFolder(options: {
  caches: CacheStorage;
  record: ModelRecord;
  parent: DirectoryLike;
  folderName: string;
  buildInfo: unknown;
  onProgress?: (progress: SaveProgress) => void;
  signal?: AbortSignal;
}): Promise<{ folderName: string; files: string[] }> {
  const { caches, record } = options;
  const open = (name: keyof typeof webllmCacheNames) => caches.open(webllmCacheNames[name]);
  const tensorResponse = await (
    await open('model')
  ).match(new Request(tensorCacheEntry(record).key));
  const configResponse = await (
    await open('config')
  ).match(new Request(chatConfigEntry(record).key));
  const tensorCache = tensorCacheSchema.safeParse(await tensorResponse?.json().catch(() => null));
  const config = (await configResponse?.json().catch(() => null)) as {
    tokenizer_files?: string[];
  } | null;
  if (!tensorCache.success || !config) {
    throw new Error('This build is not complete in the browser’s storage: build it again first.');
  }
  const files = modelFiles(record, tensorCache.data, config.tokenizer_files);
  const folder = await options.parent.getDirectoryHandle(options.folderName, { create: true });
  const written: string[] = [];
  const progress: SaveProgress = { filesDone: 0, filesTotal: files.length + 1, bytesWritten: 0 };
  for (const file of files) {
    options.signal?.throwIfAborted();
    const response = await (await open(file.cache)).match(new Request(file.key));
    // The shared library may have been cleared: the folder then works with WebLLM's own URL.
    if (!response?.body) {
      if (file.cache === 'wasm') continue;
      throw new Error(`${file.path} is missing from the browser’s storage: build it again first.`);
    }
    const name =
      file.cache === 'wasm'
        ? (new URL(file.path).pathname.split('/').pop() ?? 'model.wasm')
        : file.path;
    const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
    await response.body
      .pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            progress.bytesWritten += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      )
      .pipeTo(writable, { signal: options.signal });
    written.push(name);
    progress.filesDone += 1;
    options.onProgress?.({ ...progress });
  }
  const info = await (
    await folder.getFileHandle('BUILD-INFO.json', { create: true })
  ).createWritable();
  const infoWriter = info.getWriter();
  await infoWriter.write(
    new TextEncoder().encode(`${JSON.stringify(options.buildInfo, null, 2)}\n`),
  );
  await infoWriter.close();
  written.push('BUILD-INFO.json');
  progress.filesDone += 1;
  options.onProgress?.({ ...progress });
  return { folderName: options.folderName, files: written };
}
