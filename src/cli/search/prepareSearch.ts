import { errorText } from '../../core/errorText';
import type { Embedder } from '../../core/search';
import { SearchIndex } from '../../core/search';
import type { CliIo } from '../command';
import { readMemoryFile, type FileMemory } from './readMemoryFile';
import { fillVectors } from './vectorCache';

/** Whether the meaning route can run, and why not. */
export interface MeaningRoute {
  embedder: Embedder | null;
  /** Why it is off (`--no-embeddings`, the model could not be loaded …); null when on. */
  off: string | null;
}

export interface PreparedSearch {
  memories: FileMemory[];
  index: SearchIndex<FileMemory>;
  meaning: MeaningRoute;
}

/**
 * Reads the memories, indexes them and, unless embeddings are off, fills their vectors from the
 * cache beside the file and the embedder. An embedder that cannot load turns the meaning route off
 * with a note; the other routes rank at once.
 */
export async function prepareSearch(
  file: string,
  embedder: Embedder | null,
  io: CliIo,
): Promise<PreparedSearch> {
  const { memories, skipped } = await readMemoryFile(file);
  for (const line of skipped.slice(0, 5)) io.note(`${file}: skipped ${line}`);
  if (skipped.length > 5)
    io.note(`${file}: skipped ${skipped.length - 5} more lines that are not memories`);
  const index = new SearchIndex<FileMemory>(memories, { dimensions: embedder?.dimensions ?? 384 });
  if (embedder === null)
    return { memories, index, meaning: { embedder: null, off: '--no-embeddings' } };
  try {
    const report = await fillVectors(file, index, memories, embedder, (done, total) => {
      if (total > 256) io.note(`embedding memories: ${done}/${total}`);
    });
    if (report.embedded > 0) {
      io.note(
        `embedded ${report.embedded} memories with ${embedder.modelId}; vectors cached beside ${file}`,
      );
    }
    return { memories, index, meaning: { embedder, off: null } };
  } catch (error) {
    const reason = errorText(error);
    return { memories, index, meaning: { embedder: null, off: reason } };
  }
}

/** The query anchor's vector, or null (with the reason) when the embedder fails now. */
export async function anchorVector(
  meaning: MeaningRoute,
  anchor: string,
): Promise<Float32Array | null> {
  if (meaning.embedder === null) return null;
  try {
    const [vector] = await meaning.embedder.embed([anchor]);
    return vector ?? null;
  } catch (error) {
    meaning.off = errorText(error);
    meaning.embedder = null;
    return null;
  }
}
