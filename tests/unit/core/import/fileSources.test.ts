import { readFileSync } from 'node:fs';
import path from 'node:path';

import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { ImportError, MAX_IMPORT_BYTES } from '../../../../src/core/import';
import type { FileAccess } from '../../../../src/core/import/fileSources';
import { openFileSources, UNREAD } from '../../../../src/core/import/fileSources';

const chatGptJson = readFileSync(
  path.resolve(__dirname, '../../../fixtures/import/chatgpt-conversations.json'),
);

/** A file whose reads are counted: a refused or streamed file must not be read whole. */
function fileOf(name: string, bytes: Uint8Array, size = bytes.byteLength) {
  const reads = { head: 0, bytes: 0 };
  const file: FileAccess = {
    name,
    size,
    head: () => {
      reads.head++;
      return Promise.resolve(bytes.subarray(0, 4));
    },
    bytes: () => {
      reads.bytes++;
      return Promise.resolve(bytes);
    },
  };
  return { file, reads };
}

describe('openFileSources, the one way the app and the CLI open a file', () => {
  it('refuses a file over the import limit from its size, reading only its first bytes', async () => {
    const { file, reads } = fileOf('huge.json', chatGptJson, MAX_IMPORT_BYTES + 1);
    const error = await openFileSources(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toMatch(/^huge\.json: it is too large to import/);
    expect(reads.bytes).toBe(0);
  });

  it('names a size refusal by sizeName (the CLI: the path it was given)', async () => {
    const { file } = fileOf('huge.json', chatGptJson, MAX_IMPORT_BYTES + 1);
    const error = await openFileSources({ ...file, sizeName: '/tmp/chats/huge.json' }).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toMatch(/^\/tmp\/chats\/huge\.json: it is too large/);
  });

  it('leaves a file over streamAbove unread, for the import worker', async () => {
    const { file, reads } = fileOf('conversations.json', chatGptJson);
    expect(await openFileSources(file, { streamAbove: chatGptJson.byteLength - 1 })).toBe(UNREAD);
    expect(reads.bytes).toBe(0);
  });

  it('gives a plain file as its one source, with its own bytes', async () => {
    const { file } = fileOf('conversations.json', chatGptJson);
    const opened = await openFileSources(file);
    expect(opened).not.toBe(UNREAD);
    if (opened === UNREAD) return;
    expect(opened.archive).toBe(false);
    expect(opened.sources).toEqual([
      { name: 'conversations.json', bytes: chatGptJson, error: null, warnings: [] },
    ]);
  });

  it('gives a zip archive as its chat exports, told from the content, not the name', async () => {
    const zip = zipSync({
      'export/conversations.json': new Uint8Array(chatGptJson),
      'export/chat.html': strToU8('<html></html>'),
    });
    const { file } = fileOf('not-a-zip-name.json', zip);
    const opened = await openFileSources(file);
    if (opened === UNREAD) throw new Error('opened unread');
    expect(opened.archive).toBe(true);
    expect(opened.bytes).toBe(zip);
    expect(opened.sources.map((source) => source.name)).toEqual([
      'not-a-zip-name.json › export/conversations.json',
    ]);
    expect(opened.sources[0]!.bytes).toEqual(new Uint8Array(chatGptJson));
  });

  it('refuses a zip archive without a chat export, naming the archive and what it holds', async () => {
    const { file } = fileOf('photos.zip', zipSync({ 'a.png': new Uint8Array([1, 2, 3]) }));
    const error = await openFileSources(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toMatch(/^photos\.zip: .*no chat export found.*a\.png/);
  });
});
