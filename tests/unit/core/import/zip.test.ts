import { readFileSync } from 'node:fs';
import path from 'node:path';

import { strToU8, zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';

import {
  fileSizeError,
  importBytes,
  importText,
  isZipArchive,
  MAX_ARCHIVE_BYTES,
  MAX_IMPORT_BYTES,
} from '../../../../src/core/import';
import { openChatArchive } from '../../../../src/core/import/chatArchive';
import { sourcesOfBytes } from '../../../../src/core/import/fileSources';
import { importConversations } from '../../../../src/cli/readConversations';
import { addFilesToDraft, useImportDraftStore } from '../../../../src/ui/import/importDraftStore';
import { previewSource, sourceOfDraftFile } from '../../../../src/ui/import/importPreview';
import { importErrorOf } from '../../../support/importErrorOf';

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, '../../../fixtures/import', name), 'utf8');
const chatGptJson = fixture('chatgpt-conversations.json');
const claudeJson = fixture('claude-conversations.json');
const MIB = 1024 * 1024;

/** The layout of ChatGPT's emailed export: the chats, a viewer page, account files, media. */
const chatGptZip = (files: Zippable = { 'conversations.json': strToU8(chatGptJson) }) =>
  zipSync({
    ...files,
    'chat.html': strToU8('<html><body>Your chats</body></html>'),
    'user.json': strToU8('{"id": "user-1", "email": "me@example.com"}'),
    'message_feedback.json': strToU8('[]'),
    'dalle-generations/': {},
    'dalle-generations/file-1.webp': new Uint8Array(64).fill(7),
  });

/** The layout of Claude's emailed export. */
const claudeZip = () =>
  zipSync({
    'conversations.json': strToU8(claudeJson),
    'users.json': strToU8('[{"uuid": "u-1", "full_name": "Me"}]'),
    'projects.json': strToU8('[]'),
  });

/** Each central directory entry of an archive fflate wrote (no archive comment). */
function centralEntries(zip: Uint8Array): { offset: number; name: string }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const entries: { offset: number; name: string }[] = [];
  let offset = view.getUint32(end + 16, true);
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    expect(view.getUint32(offset, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(offset + 28, true);
    const name = new TextDecoder().decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    entries.push({ offset, name });
    offset +=
      46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return entries;
}

/** A copy of `zip` whose directory says something else about the entry `name`. */
function patchEntry(zip: Uint8Array, name: string, patch: (view: DataView, at: number) => void) {
  const copy = zip.slice();
  const entry = centralEntries(copy).find((candidate) => candidate.name === name)!;
  patch(new DataView(copy.buffer), entry.offset);
  return copy;
}

describe('zip archives are told from their content', () => {
  it('knows a zip by its first bytes, whatever its name', () => {
    expect(isZipArchive(chatGptZip())).toBe(true);
    expect(isZipArchive(zipSync({}))).toBe(true); // an empty archive starts with its end record
    expect(isZipArchive(strToU8(chatGptJson))).toBe(false);
    expect(isZipArchive(strToU8('PK is how the notes start'))).toBe(false);
    expect(isZipArchive(new Uint8Array())).toBe(false);
  });

  it('lets a zip archive be larger than a chat file, up to its own limit', () => {
    const zipHead = chatGptZip().subarray(0, 4);
    const jsonHead = strToU8('[{"t');
    const overLimit = MAX_IMPORT_BYTES + 44 * MIB;
    expect(fileSizeError('export.zip', overLimit, zipHead)).toBeNull();
    expect(fileSizeError('export.zip', MAX_ARCHIVE_BYTES, zipHead)).toBeNull();
    expect(fileSizeError('export.zip', 3000 * MIB, zipHead)?.message).toBe(
      'export.zip: it is too large to open (3000.0 MB; the limit for a .zip archive is 2048 MB): ' +
        'unzip it and import its conversations.json',
    );
    expect(fileSizeError('chats.json', overLimit, jsonHead)?.message).toBe(
      `chats.json: it is too large to import (${(overLimit / MIB).toFixed(1)} MB; the limit is ` +
        `${MAX_IMPORT_BYTES / MIB} MB)`,
    );
  });
});

describe('chat exports inside a zip archive', () => {
  it("unpacks only conversations.json from ChatGPT's export, named after the archive too", () => {
    const entries = openChatArchive('export.zip', chatGptZip());
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry!.name).toBe('export.zip › conversations.json');
    expect(entry!.error).toBeNull();
    expect(new TextDecoder().decode(entry!.bytes!)).toBe(chatGptJson);

    const fromZip = importBytes(entry!.name, entry!.bytes!, { timeZone: 'UTC' });
    expect(fromZip.format).toBe('chatgpt-export');
    expect(fromZip).toEqual(importText(entry!.name, chatGptJson, { timeZone: 'UTC' }));
    // The same ids as from the unzipped file: importing both is recognised as the same chats.
    const fromFile = importText('conversations.json', chatGptJson, { timeZone: 'UTC' });
    expect(fromZip.conversations.map((conversation) => conversation.id)).toEqual(
      fromFile.conversations.map((conversation) => conversation.id),
    );
    expect(fromZip.conversations.map((conversation) => conversation.title)).toContain(
      'Lisbon trip planning',
    );
  });

  it("unpacks conversations.json from Claude's export, not users.json or projects.json", () => {
    const [entry, ...others] = openChatArchive('claude-data.zip', claudeZip());
    expect(others).toEqual([]);
    expect(entry!.name).toBe('claude-data.zip › conversations.json');
    const result = importBytes(entry!.name, entry!.bytes!, { timeZone: 'UTC' });
    expect(result.format).toBe('claude-export');
    expect(result.conversations[0]!.title).toBe('Sourdough starter troubleshooting');
  });

  it('finds exports at any depth, and the numbered parts of newer ChatGPT exports in order', () => {
    const [first, second] = JSON.parse(chatGptJson) as unknown[];
    const zip = chatGptZip({
      'export/conversations-001.json': strToU8(JSON.stringify([second])),
      'export/conversations-000.json': strToU8(JSON.stringify([first])),
    });
    expect(openChatArchive('export.zip', zip).map((entry) => entry.name)).toEqual([
      'export.zip › export/conversations-000.json',
      'export.zip › export/conversations-001.json',
    ]);
  });

  it('leaves every other entry packed: one it could not inflate does not matter', () => {
    // Were chat.html unpacked, its unknown compression method (99: encrypted) would fail.
    const zip = patchEntry(chatGptZip(), 'chat.html', (view, at) =>
      view.setUint16(at + 10, 99, true),
    );
    expect(openChatArchive('export.zip', zip)[0]!.error).toBeNull();
  });

  it('names the archive, what was looked for and what it holds when it has no chat export', () => {
    const zip = zipSync({
      'notes.txt': strToU8('hello'),
      'photos/': {},
      'photos/a.png': new Uint8Array(8),
      'photos/b.png': new Uint8Array(8),
      'photos/c.png': new Uint8Array(8),
      'photos/d.png': new Uint8Array(8),
      'photos/e.png': new Uint8Array(8),
    });
    const error = importErrorOf(() => openChatArchive('holiday.zip', zip));
    expect(error.message).toBe(
      'holiday.zip: no chat export found in this .zip archive: looked for conversations.json ' +
        '(ChatGPT and Claude exports hold one); it holds notes.txt, photos/a.png, photos/b.png, ' +
        'photos/c.png, photos/d.png and 1 more',
    );
    expect(importErrorOf(() => openChatArchive('empty.zip', zipSync({}))).message).toMatch(
      /^empty\.zip: no chat export found .*; the archive is empty$/,
    );
  });

  it('says a cut-off or damaged archive could not be opened, naming it', () => {
    const zip = chatGptZip();
    const cutOff = zip.subarray(0, Math.floor(zip.length / 2));
    expect(importErrorOf(() => openChatArchive('export.zip', cutOff)).message).toBe(
      'export.zip: it could not be opened as a .zip archive; it may be damaged or incomplete ' +
        '(no zip directory at its end)',
    );
  });

  it('says which export could not be inflated when its data is damaged', () => {
    const zip = zipSync({ 'conversations.json': strToU8(chatGptJson) }, { level: 9 });
    const view = new DataView(zip.buffer);
    const dataStart = 30 + view.getUint16(26, true) + view.getUint16(28, true);
    zip.fill(0xff, dataStart, dataStart + 16); // a deflate block of the reserved type
    const [entry] = openChatArchive('export.zip', zip);
    expect(entry!.bytes).toBeNull();
    expect(entry!.error!.message).toBe(
      'export.zip › conversations.json: it could not be unpacked; the archive may be damaged ' +
        '(invalid block type)',
    );
  });

  it('refuses an export whose declared size is over the import limit, before inflating it', () => {
    const declared = MAX_IMPORT_BYTES + 44 * MIB;
    const zip = patchEntry(
      zipSync({
        'conversations.json': strToU8(chatGptJson),
        'conversations-001.json': strToU8(claudeJson),
      }),
      'conversations.json',
      (view, at) => view.setUint32(at + 24, declared, true),
    );
    const [fine, huge] = openChatArchive('export.zip', zip);
    // Inflating it would have allocated the declared size and failed: it was refused first.
    expect(huge).toMatchObject({ name: 'export.zip › conversations.json', bytes: null });
    expect(huge!.error!.message).toBe(
      `export.zip › conversations.json: it is too large to import (${(declared / MIB).toFixed(1)} ` +
        `MB; the limit is ${MAX_IMPORT_BYTES / MIB} MB)`,
    );
    // The archive's other export is unaffected.
    expect(fine).toMatchObject({ name: 'export.zip › conversations-001.json', error: null });
  });
});

describe('exports the archive holds twice', () => {
  it('takes the shallowest copy of conversations.json and says which it skipped', () => {
    const zip = chatGptZip({
      'conversations.json': strToU8(chatGptJson),
      'chatgpt-export-2024-10-01/conversations.json': strToU8(chatGptJson),
    });
    const entries = openChatArchive('export.zip', zip);
    expect(entries.map((entry) => entry.name)).toEqual(['export.zip › conversations.json']);
    expect(entries[0]!.warnings).toEqual([
      'chat exports in more than one folder: took conversations.json, skipped ' +
        'chatgpt-export-2024-10-01/conversations.json',
    ]);
  });

  it('imports each conversation once on the command line, with the warning', async () => {
    const zip = chatGptZip({
      'conversations.json': strToU8(chatGptJson),
      'backup/conversations.json': strToU8(chatGptJson),
    });
    const notes: string[] = [];
    const opened = await sourcesOfBytes('export.zip', zip);
    const result = importConversations('export.zip', opened, undefined, {
      out: () => {},
      note: (line) => notes.push(line),
    });
    const once = importText('conversations.json', chatGptJson);
    expect(result.conversations.map((c) => c.id)).toEqual(once.conversations.map((c) => c.id));
    expect(notes).toContain(
      'warning: export.zip: chat exports in more than one folder: took conversations.json, ' +
        'skipped backup/conversations.json',
    );
  });

  it('takes every folder at the shallowest depth (two exports side by side)', () => {
    const zip = zipSync({
      'chatgpt/conversations.json': strToU8(chatGptJson),
      'claude/conversations.json': strToU8(claudeJson),
    });
    const entries = openChatArchive('both.zip', zip);
    expect(entries.map((entry) => entry.name)).toEqual([
      'both.zip › chatgpt/conversations.json',
      'both.zip › claude/conversations.json',
    ]);
    expect(entries.flatMap((entry) => entry.warnings)).toEqual([]);
  });
});

describe('damaged entries are caught by their checksum and size', () => {
  it('refuses a stored entry whose bytes do not match its CRC-32, naming the archive', () => {
    const zip = zipSync({ 'conversations.json': strToU8(chatGptJson) }, { level: 0 });
    const view = new DataView(zip.buffer);
    const dataStart = 30 + view.getUint16(26, true) + view.getUint16(28, true);
    const at = dataStart + chatGptJson.indexOf('Lisbon');
    zip[at] = 'X'.charCodeAt(0); // "Xisbon": still valid JSON, silently wrong without the check
    const [entry] = openChatArchive('export.zip', zip);
    expect(entry!.bytes).toBeNull();
    expect(entry!.error!.message).toBe(
      'export.zip › conversations.json: it could not be unpacked; the archive may be damaged ' +
        '(its CRC-32 checksum does not match)',
    );
  });

  it('names the damaged archive when an entry unpacks past its declared size', () => {
    const zip = patchEntry(
      zipSync({ 'conversations.json': strToU8(chatGptJson) }),
      'conversations.json',
      (view, at) => view.setUint32(at + 24, 1000, true),
    );
    const [entry] = openChatArchive('export.zip', zip);
    expect(entry!.bytes).toBeNull();
    expect(entry!.error!.message).toBe(
      'export.zip › conversations.json: it could not be unpacked; the archive may be damaged ' +
        '(it unpacks to more than the 1000 bytes the archive declares)',
    );
  });

  it('names it too when an entry unpacks to fewer bytes than declared', () => {
    const length = strToU8(chatGptJson).length;
    const declared = length + 10;
    const zip = patchEntry(
      zipSync({ 'conversations.json': strToU8(chatGptJson) }),
      'conversations.json',
      (view, at) => view.setUint32(at + 24, declared, true),
    );
    const [entry] = openChatArchive('export.zip', zip);
    expect(entry!.error!.message).toBe(
      'export.zip › conversations.json: it could not be unpacked; the archive may be damaged ' +
        `(it unpacks to ${length} bytes; the archive declares ${declared})`,
    );
  });
});

describe('an export split into many numbered parts', () => {
  it('opens 10,000 parts, each once, in order (one pass over the directory)', () => {
    const [first] = JSON.parse(chatGptJson) as unknown[];
    const part = strToU8(JSON.stringify([first]));
    const files: Zippable = {};
    for (let i = 9999; i >= 0; i--)
      files[`conversations-${String(i).padStart(5, '0')}.json`] = part;
    const zip = zipSync(files, { level: 0 });
    const entries = openChatArchive('big.zip', zip);
    expect(entries).toHaveLength(10_000);
    expect(entries[0]!.name).toBe('big.zip › conversations-00000.json');
    expect(entries[9999]!.name).toBe('big.zip › conversations-09999.json');
    expect(entries.every((entry) => entry.error === null)).toBe(true);
  });
});

describe('the same archive in the app', () => {
  it("shows the archive's warning with the export's own in the preview", async () => {
    const zip = chatGptZip({
      'conversations.json': strToU8(chatGptJson),
      'backup/conversations.json': strToU8(chatGptJson),
    });
    useImportDraftStore.getState().clear();
    await addFilesToDraft([new File([zip], 'export.zip')]);
    const previews = useImportDraftStore
      .getState()
      .files.map((file) => previewSource(sourceOfDraftFile(file), {}, 0));
    expect(previews).toHaveLength(1);
    expect(previews[0]).toMatchObject({ name: 'export.zip › conversations.json', ok: true });
    expect(previews[0]!.ok && previews[0]!.warnings[0]).toBe(
      'chat exports in more than one folder: took conversations.json, skipped ' +
        'backup/conversations.json',
    );
  });
});
