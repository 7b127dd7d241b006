import { readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { importSizeError, MAX_IMPORT_BYTES } from '../../src/core/import';
import { parseNaiveIso } from '../../src/core/time/localTime';
import type { PickedFile } from '../../src/ui/import/importDraftStore';
import { addFilesToDraft, useImportDraftStore } from '../../src/ui/import/importDraftStore';
import { previewSource, sourceOfDraftFile } from '../../src/ui/import/importPreview';

const MIB = 1024 * 1024;
const now = parseNaiveIso('2024-01-02T10:00:00')!;
const seedBytes = readFileSync(
  path.resolve(__dirname, '../../../shared/data/seed-example/conversation.txt'),
);

/** A `File` look-alike that only claims its size: nothing of it is allocated. */
function pretendFile(name: string, size: number, content: Uint8Array | Error = new Uint8Array()) {
  const arrayBuffer = vi.fn(() =>
    content instanceof Error
      ? Promise.reject(content)
      : Promise.resolve(new Uint8Array(content).buffer),
  );
  const file: PickedFile = { name, size, arrayBuffer };
  return { file, arrayBuffer };
}

const previewsOfDraft = () =>
  useImportDraftStore
    .getState()
    .files.map((draft) => previewSource(sourceOfDraftFile(draft), {}, now));

beforeEach(() => useImportDraftStore.getState().clear());

describe('import size limit in the browser', () => {
  it('is the import limit, counted in bytes, with the limit itself allowed', () => {
    expect(importSizeError('a.json', MAX_IMPORT_BYTES)).toBeNull();
    expect(importSizeError('a.json', 300 * MIB)?.message).toBe(
      'a.json: it is too large to import (300.0 MB; the limit is 256 MB)',
    );
  });

  it('refuses a 300 MB file without reading it, and the preview shows why, naming it', async () => {
    const huge = pretendFile('conversations.json', 300 * MIB);
    const seed = pretendFile('seed.txt', seedBytes.byteLength, seedBytes);
    await addFilesToDraft([huge.file, seed.file]);

    expect(huge.arrayBuffer).not.toHaveBeenCalled();
    expect(seed.arrayBuffer).toHaveBeenCalledOnce();
    const [hugePreview, seedPreview] = previewsOfDraft();
    expect(hugePreview).toMatchObject({
      name: 'conversations.json',
      ok: false,
      error: 'conversations.json: it is too large to import (300.0 MB; the limit is 256 MB)',
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
