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
} from '../../src/core/import';
import { openChatArchive } from '../../src/core/import/chatArchive';
import { importErrorOf } from './importErrorOf';

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, '../fixtures/import', name), 'utf8');
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
    expect(fileSizeError('export.zip', 300 * MIB, zipHead)).toBeNull();
    expect(fileSizeError('export.zip', MAX_ARCHIVE_BYTES, zipHead)).toBeNull();
    expect(fileSizeError('export.zip', 3000 * MIB, zipHead)?.message).toBe(
      'export.zip: it is too large to open (3000.0 MB; the limit for a .zip archive is 2048 MB): ' +
        'unzip it and import its conversations.json',
    );
    expect(fileSizeError('chats.json', 300 * MIB, jsonHead)?.message).toBe(
      'chats.json: it is too large to import (300.0 MB; the limit is 256 MB)',
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
        '(invalid zip data)',
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
    const declared = 300 * MIB;
    expect(declared).toBeGreaterThan(MAX_IMPORT_BYTES);
    const zip = patchEntry(
      zipSync({
        'conversations.json': strToU8(chatGptJson),
        'more/conversations.json': strToU8(claudeJson),
      }),
      'conversations.json',
      (view, at) => view.setUint32(at + 24, declared, true),
    );
    const [huge, fine] = openChatArchive('export.zip', zip);
    // Inflating it would have allocated the declared 300 MB and succeeded: it was refused first.
    expect(huge).toMatchObject({ name: 'export.zip › conversations.json', bytes: null });
    expect(huge!.error!.message).toBe(
      'export.zip › conversations.json: it is too large to import (300.0 MB; the limit is 256 MB)',
    );
    // The archive's other export is unaffected.
    expect(fine).toMatchObject({ name: 'export.zip › more/conversations.json', error: null });
  });
});
