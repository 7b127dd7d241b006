import { readFileSync } from 'node:fs';
import path from 'node:path';

import { strToU8, zipSync } from 'fflate';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { importSizeError, MAX_IMPORT_BYTES } from '../../../../src/core/import';
import { parseNaiveIso } from '../../../../src/core/time/localTime';
import type { PickedFile } from '../../../../src/ui/import/importDraftStore';
import { addFilesToDraft, useImportDraftStore } from '../../../../src/ui/import/importDraftStore';
import { previewSource, sourceOfDraftFile } from '../../../../src/ui/import/importPreview';

const MIB = 1024 * 1024;
const now = parseNaiveIso('2024-01-02T10:00:00')!;
const seedBytes = readFileSync(path.resolve(__dirname, '../../../fixtures/seed/conversation.txt'));

/**
 * A `File` look-alike that only claims its size: nothing of it is allocated. Its head (what
 * `slice` gives) is the start of its content.
 */
function pretendFile(name: string, size: number, content: Uint8Array | Error = new Uint8Array()) {
  const arrayBuffer = vi.fn(() =>
    content instanceof Error
      ? Promise.reject(content)
      : Promise.resolve(new Uint8Array(content).buffer),
  );
  const slice = vi.fn((start?: number, end?: number) =>
    content instanceof Error ? new Blob([]) : new Blob([content.slice(start, end)]),
  );
  const file: PickedFile = { name, size, arrayBuffer, slice };
  return { file, arrayBuffer, slice };
}

const seedFileLike = () => new File([seedBytes], 'seed.txt');

const previewsOfDraft = () =>
  useImportDraftStore
    .getState()
    .files.map((draft) => previewSource(sourceOfDraftFile(draft), {}, now));

beforeEach(() => useImportDraftStore.getState().clear());

describe('import size limit in the browser', () => {
  it('is the import limit, counted in bytes, with the limit itself allowed', () => {
    expect(importSizeError('a.json', MAX_IMPORT_BYTES)).toBeNull();
    expect(importSizeError('a.json', 1200 * MIB)?.message).toBe(
      'a.json: it is too large to import (1200.0 MB; the limit is 1024 MB)',
    );
  });

  it('refuses a 1.2 GB file without reading it, and the preview shows why, naming it', async () => {
    const huge = pretendFile('conversations.json', 1200 * MIB);
    const seed = pretendFile('seed.txt', seedBytes.byteLength, seedBytes);
    await addFilesToDraft([huge.file, seed.file]);

    expect(huge.arrayBuffer).not.toHaveBeenCalled();
    expect(seed.arrayBuffer).toHaveBeenCalledOnce();
    const [hugePreview, seedPreview] = previewsOfDraft();
    expect(hugePreview).toMatchObject({
      name: 'conversations.json',
      ok: false,
      error: 'conversations.json: it is too large to import (1200.0 MB; the limit is 1024 MB)',
    });
    // The file beside it is unaffected: it imports as usual.
    expect(seedPreview).toMatchObject({ name: 'seed.txt', ok: true, format: 'dimmem-lines' });
  });

  it('shows a file the browser cannot read as an error naming it, instead of losing the drop', async () => {
    const unreadable = pretendFile('chat.json', 10, new Error('The file was moved'));
    await addFilesToDraft([unreadable.file]);
    expect(previewsOfDraft()).toMatchObject([
      { ok: false, error: 'chat.json: could not be read (The file was moved)' },
    ]);
  });
});

describe('zip archives in the browser', () => {
  const chatGptJson = readFileSync(
    path.resolve(__dirname, '../../../fixtures/import/chatgpt-conversations.json'),
  );
  /** ChatGPT's emailed export: the chats beside a viewer page and media. */
  const chatGptZip = zipSync({
    'conversations.json': new Uint8Array(chatGptJson),
    'chat.html': strToU8('<html></html>'),
    'dalle-generations/file-1.webp': new Uint8Array(32),
  });

  it('turns a dropped export .zip into its conversations.json, named after both', async () => {
    await addFilesToDraft([new File([chatGptZip], 'export.zip'), seedFileLike()]);
    expect(useImportDraftStore.getState().files.map((file) => file.name)).toEqual([
      'export.zip › conversations.json',
      'seed.txt',
    ]);
    const [zipPreview, seedPreview] = previewsOfDraft();
    expect(zipPreview).toMatchObject({
      name: 'export.zip › conversations.json',
      ok: true,
      format: 'chatgpt-export',
      conversations: [{ conversation: { title: 'Lisbon trip planning' } }, {}],
    });
    expect(seedPreview).toMatchObject({ name: 'seed.txt', ok: true, format: 'dimmem-lines' });
    expect(useImportDraftStore.getState().reading).toEqual([]);
  });

  it('opens a zip by its content, whatever its name', async () => {
    await addFilesToDraft([new File([chatGptZip], 'conversations.json')]);
    expect(previewsOfDraft()).toMatchObject([
      { name: 'conversations.json › conversations.json', ok: true, format: 'chatgpt-export' },
    ]);
  });

  it('shows one error naming an archive without a chat export; the drop is not lost', async () => {
    const photos = zipSync({ 'a.png': new Uint8Array(8), 'b.png': new Uint8Array(8) });
    await addFilesToDraft([
      new File([photos], 'photos.zip'),
      new File([new Uint8Array(9)], 'x.zip'),
    ]);
    expect(previewsOfDraft()).toMatchObject([
      {
        name: 'photos.zip',
        ok: false,
        error:
          'photos.zip: no chat export found in this .zip archive: looked for conversations.json ' +
          '(ChatGPT and Claude exports hold one); it holds a.png, b.png',
      },
      // Not a zip (no signature): the importer's usual binary-file error.
      { name: 'x.zip', ok: false, error: expect.stringMatching(/^x\.zip: it looks like a binary/) },
    ]);
  });

  it('leaves a zip over the import limit to the import worker (only its exports must fit); refuses one over its own', async () => {
    const large = pretendFile('export.zip', 1200 * MIB, chatGptZip);
    const huge = pretendFile('huge-export.zip', 3000 * MIB, chatGptZip);
    await addFilesToDraft([large.file, huge.file]);
    expect(large.arrayBuffer).not.toHaveBeenCalled();
    expect(huge.arrayBuffer).not.toHaveBeenCalled();
    expect(huge.slice).toHaveBeenCalledWith(0, 4);
    const [largeDraft] = useImportDraftStore.getState().files;
    expect(largeDraft).toMatchObject({ name: 'export.zip', refused: null, large: large.file });
    expect(previewsOfDraft().slice(1)).toMatchObject([
      {
        name: 'huge-export.zip',
        ok: false,
        error:
          'huge-export.zip: it is too large to open (3000.0 MB; the limit for a .zip archive is ' +
          '2048 MB): unzip it and import its conversations.json',
      },
    ]);
  });

  it('says which files are being read until they are in the draft', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: PickedFile = {
      name: 'export.zip',
      size: chatGptZip.byteLength,
      slice: (start, end) => new Blob([chatGptZip.slice(start, end)]),
      arrayBuffer: async () => {
        await gate;
        return new Uint8Array(chatGptZip).buffer;
      },
    };
    const adding = addFilesToDraft([slow]);
    expect(useImportDraftStore.getState().reading).toEqual(['export.zip']);
    release();
    await adding;
    expect(useImportDraftStore.getState().reading).toEqual([]);
    expect(useImportDraftStore.getState().files).toHaveLength(1);
  });
});
