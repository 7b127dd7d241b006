import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

import { z } from 'zod';

import type { Embedder, SearchIndex, SearchableMemory } from '../../core/search';
import { memoryEmbeddingText } from '../../core/search';

/**
 * Vectors cached beside a memories file: `FILE.vectors.bin` (float32 rows, little-endian) and
 * `FILE.vectors.json` (the embedder's id, the dimensions, and per row the memory id and a hash of
 * the text embedded). A row is reused while its memory's text and the embedder are the same; any
 * other memory is embedded again, so editing the file or changing the model never serves stale
 * vectors.
 */
export const VECTOR_CACHE_FORMAT = 'dimmem-vectors';
export const VECTOR_CACHE_VERSION = 1;

const headerSchema = z.object({
  format: z.literal(VECTOR_CACHE_FORMAT),
  version: z.literal(VECTOR_CACHE_VERSION),
  model: z.string(),
  dimensions: z.int().positive(),
  /** `[memory id, text hash]` per row of the .bin file, in order. */
  rows: z.array(z.tuple([z.string(), z.string()])),
});

export const vectorCachePaths = (file: string) => ({
  header: `${file}.vectors.json`,
  data: `${file}.vectors.bin`,
});

const textHash = (text: string) =>
  createHash('sha256').update(text).digest('base64url').slice(0, 16);

export interface VectorCacheReport {
  reused: number;
  embedded: number;
  /** Whether the cache files were (re)written. */
  written: boolean;
}

/**
 * Fills the index's vectors: cached rows first, then the embedder for the rest (in batches, with
 * `onProgress`), then writes the cache when anything changed. Throws what the embedder throws.
 */
export async function fillVectors<M extends SearchableMemory>(
  file: string,
  index: SearchIndex<M>,
  memories: readonly M[],
  embedder: Embedder,
  onProgress?: (done: number, total: number) => void,
): Promise<VectorCacheReport> {
  const paths = vectorCachePaths(file);
  const cached = await readCache(paths, embedder);
  const hashes = memories.map((memory) => textHash(memoryEmbeddingText(memory)));
  const missing: number[] = [];
  memories.forEach((memory, position) => {
    const row = cached?.rows.get(`${memory.id}\u0000${hashes[position]}`);
    if (row !== undefined && cached) {
      index.setVector(
        memory.id,
        cached.vectors.subarray(row * embedder.dimensions, (row + 1) * embedder.dimensions),
        embedder.modelId,
      );
    } else {
      missing.push(position);
    }
  });
  const batch = 256;
  for (let start = 0; start < missing.length; start += batch) {
    const positions = missing.slice(start, start + batch);
    const vectors = await embedder.embed(positions.map((p) => memoryEmbeddingText(memories[p]!)));
    positions.forEach((p, i) => index.setVector(memories[p]!.id, vectors[i]!, embedder.modelId));
    onProgress?.(Math.min(start + batch, missing.length), missing.length);
  }
  const unchanged = cached !== null && missing.length === 0 && cached.rows.size === memories.length;
  if (!unchanged) await writeCache(paths, index, memories, hashes, embedder);
  return {
    reused: memories.length - missing.length,
    embedded: missing.length,
    written: !unchanged,
  };
}

async function readCache(
  paths: ReturnType<typeof vectorCachePaths>,
  embedder: Embedder,
): Promise<{ rows: Map<string, number>; vectors: Float32Array } | null> {
  try {
    const header = headerSchema.parse(JSON.parse(await readFile(paths.header, 'utf8')));
    if (header.model !== embedder.modelId || header.dimensions !== embedder.dimensions) return null;
    const data = await readFile(paths.data);
    if (data.byteLength !== header.rows.length * header.dimensions * 4) return null;
    const vectors = new Float32Array(header.rows.length * header.dimensions);
    new Uint8Array(vectors.buffer).set(data);
    const rows = new Map<string, number>();
    header.rows.forEach(([id, hash], row) => rows.set(`${id}\u0000${hash}`, row));
    return { rows, vectors };
  } catch {
    // No cache yet, or one that cannot be used: every vector is computed again.
    return null;
  }
}

async function writeCache<M extends SearchableMemory>(
  paths: ReturnType<typeof vectorCachePaths>,
  index: SearchIndex<M>,
  memories: readonly M[],
  hashes: string[],
  embedder: Embedder,
): Promise<void> {
  const vectors = new Float32Array(memories.length * embedder.dimensions);
  memories.forEach((memory, row) => {
    vectors.set(index.vectorAt(index.slotOfId(memory.id)!), row * embedder.dimensions);
  });
  const header = {
    format: VECTOR_CACHE_FORMAT,
    version: VECTOR_CACHE_VERSION,
    model: embedder.modelId,
    dimensions: embedder.dimensions,
    rows: memories.map((memory, row) => [memory.id, hashes[row]]),
  };
  // Written beside and renamed into place: an interrupted write leaves the old cache or none.
  await writeFile(`${paths.data}.tmp`, new Uint8Array(vectors.buffer));
  await writeFile(`${paths.header}.tmp`, `${JSON.stringify(header)}\n`);
  await rename(`${paths.data}.tmp`, paths.data);
  await rename(`${paths.header}.tmp`, paths.header);
}
