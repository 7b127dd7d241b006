import type { ImportInput } from './sourcePass';

/** What the session needs of a `File` (tests pass look-alikes with only these). */
export type FileLike = Pick<File, 'name' | 'size' | 'slice' | 'stream' | 'arrayBuffer'>;

/** A browser file as the import session reads it: streamed, never loaded whole unless zipped. */
export function fileInput(file: FileLike): ImportInput {
  return {
    name: file.name,
    size: file.size,
    head: async () => new Uint8Array(await file.slice(0, 4).arrayBuffer()),
    chunks: () => streamChunks(file.stream()),
    bytes: async () => new Uint8Array(await file.arrayBuffer()),
  };
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stops reading the file when the import ends early (an error or a cancel).
    await reader.cancel().catch(() => undefined);
  }
}
