import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { strToU8, zipSync } from 'fflate';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { chatGptExportText, issueExportShape } from '../../../../bench/lib/chatgptExport';
import type { Conversation } from '../../../../src/core/conversation';
import {
  BOTH_SPEAKERS,
  ImportError,
  importBytes,
  inspectSource,
  MAX_IMPORT_BYTES,
  MAX_RECORD_BYTES,
} from '../../../../src/core/import';
import { importStream } from '../../../../src/core/import/streamSource';
import type { StreamedImport } from '../../../../src/core/import/streamSource';
import { parseNaiveIso } from '../../../../src/core/time/localTime';
import {
  listConversations,
  getMessages,
} from '../../../../src/store/conversations/conversationRepository';
import type { DimmemDb } from '../../../../src/store/db/db';
import { ImportSession } from '../../../../src/store/import/importSession';
import { chunksOf } from '../../../../src/store/import/sourcePass';
import type { ImportInput } from '../../../../src/store/import/sourcePass';
import type { PickedFile } from '../../../../src/ui/import/importDraftStore';
import {
  LARGE_FILE_BYTES,
  readDraftFiles,
  useImportDraftStore,
} from '../../../../src/ui/import/importDraftStore';
import { fixtureData, freshDb } from '../../../support/storeFixtures';

const now = parseNaiveIso('2024-01-02T10:00:00')!;
const GB = 1000 * 1000 * 1000;
const fixtureFiles = ['import', 'seed'].flatMap((folder) =>
  readdirSync(path.join(fixtureData, folder)).map((name) => path.join(folder, name)),
);
const read = (file: string) => new Uint8Array(readFileSync(path.join(fixtureData, file)));

/** Chunks of `bytes` split at the given offsets. */
async function* splitAt(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    // A fresh copy each time: the importer must not keep views of a chunk it was given.
    yield bytes.slice(from, cut);
    from = cut;
  }
}

async function streamAll(
  name: string,
  chunks: AsyncIterable<Uint8Array>,
  options = { now },
): Promise<{ result: StreamedImport; conversations: Conversation[] }> {
  const conversations: Conversation[] = [];
  const result = await importStream(name, chunks, options, {
    conversation: (conversation) => {
      conversations.push(conversation);
    },
  });
  return { result, conversations };
}

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('inspectSource: one reading serves format, speakers and the import', () => {
  it.each(fixtureFiles)('%s gives the same conversations through every path', async (file) => {
    const bytes = read(file);
    const source = inspectSource(path.basename(file), bytes);
    if (source.error) {
      // Files that are not chats (the seed's expected answers) fail the same way everywhere.
      expect(() => importBytes(path.basename(file), bytes, { now })).toThrow(source.error.message);
      const streamed = await errorOf(streamAll(path.basename(file), splitAt(bytes, [])));
      expect(String(streamed)).toContain(source.error.reason);
      return;
    }
    const once = source.importWith({ now });
    expect(once.format).toBe(source.format);
    expect(once.conversations.length).toBeGreaterThan(0);
    // The same inspection again, and a fresh import, and the streamed path: identical results.
    expect(source.importWith({ now })).toEqual(once);
    expect(importBytes(path.basename(file), bytes, { now })).toEqual(once);
    const streamed = await streamAll(path.basename(file), splitAt(bytes, [7, 100]));
    expect(streamed.conversations).toEqual(once.conversations);
    expect(streamed.result.warnings).toEqual(once.warnings);
    expect(streamed.result.format).toBe(once.format);
  });

  it('offers the speaker choice of a two-person source and imports with it, without reading again', () => {
    const bytes = read('locomo/26.json');
    const source = inspectSource('26.json', bytes);
    expect(source.format).toBe('locomo');
    expect(source.speakers).toEqual(['Caroline', 'Melanie']);
    const first = source.importWith({ now });
    const both = source.importWith({ now, speaker: BOTH_SPEAKERS });
    expect(first.conversations).toHaveLength(1);
    expect(both.conversations).toHaveLength(2);
    expect(first.conversations[0]!.messages.find((m) => m.role === 'user')!.speaker).toBe(
      'Caroline',
    );
    expect(() => source.importWith({ now, speaker: 'Bob' })).toThrow(/speaker "Bob"/);
  });

  it('carries the error of a source that cannot be imported, naming it', () => {
    const source = inspectSource('photo.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]));
    expect(source.format).toBeNull();
    expect(source.error?.message).toBe(
      'photo.txt: it looks like a binary file (it contains NUL bytes), not text',
    );
    expect(() => source.importWith()).toThrow(source.error!);
  });
});

describe('streaming a JSON list, one conversation at a time', () => {
  const claude = read('import/claude-conversations.json');
  const chatgpt = read('import/chatgpt-conversations.json');

  it('gives the same result whatever the chunk boundaries: every single split point', async () => {
    const expected = importBytes('claude.json', claude, { now });
    for (let cut = 0; cut <= claude.length; cut++) {
      const { conversations, result } = await streamAll('claude.json', splitAt(claude, [cut]));
      expect(conversations, `split at byte ${cut}`).toEqual(expected.conversations);
      expect(result.warnings).toEqual(expected.warnings);
    }
  });

  it('gives the same result read one byte at a time (escapes, multi-byte characters and all)', async () => {
    const expected = importBytes('chatgpt.json', chatgpt, { now });
    const cuts = Array.from({ length: chatgpt.length - 1 }, (_, i) => i + 1);
    const { conversations, result } = await streamAll('chatgpt.json', splitAt(chatgpt, cuts));
    expect(result.streamed).toBe(true);
    expect(conversations).toEqual(expected.conversations);
  });

  it('reads a generated export as ChatGPT writes it: every conversation, in order, with ids unique', async () => {
    const text = chatGptExportText({ ...issueExportShape, conversations: 40 });
    const bytes = new TextEncoder().encode(text);
    const expected = importBytes('conversations.json', bytes, { now });
    const { conversations, result } = await streamAll('conversations.json', chunksOf(bytes));
    expect(conversations).toEqual(expected.conversations);
    expect(conversations).toHaveLength(40);
    expect(conversations.reduce((sum, c) => sum + c.messages.length, 0)).toBe(40 * 24);
    expect(result).toMatchObject({ format: 'chatgpt-export', streamed: true, conversations: 40 });
  });

  it('says a cut-off export ends unexpectedly, naming the file', async () => {
    const whole = new TextEncoder().encode(
      chatGptExportText({ ...issueExportShape, conversations: 5 }),
    );
    const cut = whole.slice(0, Math.floor(whole.length * 0.8));
    const error = await errorOf(streamAll('conversations.json', splitAt(cut, [100])));
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toMatch(
      /^conversations\.json: could not import as ChatGPT export: JSON ends unexpectedly after \d+ bytes \(the file may be cut off\)$/,
    );
  });

  it('says which conversation holds broken JSON, naming the file', async () => {
    const text = new TextDecoder().decode(claude).trimEnd();
    const broken = `${text.slice(0, -1)}, {"uuid": "x", "chat_messages": [}]`;
    const error = await errorOf(
      streamAll('claude.json', splitAt(new TextEncoder().encode(broken), [50])),
    );
    expect((error as Error).message).toMatch(
      /^claude\.json: could not import as Claude export: conversation 3: invalid JSON/,
    );
  });

  it('survives deeply nested JSON inside a conversation', async () => {
    const depth = 200_000;
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const text = new TextDecoder()
      .decode(claude)
      .replace(
        /^\[/,
        `[{"uuid":"deep","chat_messages":[{"sender":"human","text":"hi","content":${nested}}]},`,
      );
    const { conversations, result } = await streamAll(
      'deep.json',
      chunksOf(new TextEncoder().encode(text)),
    );
    // The nested value is no list of content blocks: that one conversation is skipped with a
    // warning naming it; the others import as they would alone.
    expect(result.streamed).toBe(true);
    expect(conversations).toEqual(
      importBytes('deep.json', claude, { now }).conversations.map((c) => ({
        ...c,
        sourceName: 'deep.json',
      })),
    );
    expect(result.warnings[0]).toMatch(/^conversation 1 skipped: /);
  });

  it('skips a 300 MB string without holding it, and imports the rest', async () => {
    const megabyte = new Uint8Array(1024 * 1024).fill(0x61);
    const before = new TextEncoder().encode(
      `${new TextDecoder().decode(claude).trimEnd().slice(0, -1)}, {"uuid":"huge","chat_messages":[{"sender":"human","text":"`,
    );
    const after = new TextEncoder().encode('"}]}]');
    async function* hostile() {
      yield before;
      for (let i = 0; i < 300; i++) yield megabyte;
      yield after;
    }
    const { conversations, result } = await streamAll('huge.json', hostile());
    expect(conversations).toHaveLength(importBytes('c.json', claude, { now }).conversations.length);
    expect(result.warnings.at(-1)).toBe(
      `conversation ${(JSON.parse(new TextDecoder().decode(claude)) as unknown[]).length + 1} skipped: it is over ${MAX_RECORD_BYTES / 1024 / 1024} MB, so it was not read`,
    );
  }, 120_000);
});

/** A `File` look-alike that only claims its size: reading it would fail the test. */
function pretendFile(name: string, size: number): PickedFile & { reads: () => number } {
  let reads = 0;
  const fail = () => {
    reads++;
    throw new Error('the file was read');
  };
  return {
    name,
    size,
    arrayBuffer: vi.fn(fail),
    stream: vi.fn(fail),
    // The first four bytes only: enough to tell a zip archive.
    slice: vi.fn(() => new Blob(['[{"m']) as Blob),
    reads: () => reads,
  };
}

describe('the per-file limit, streaming allowed', () => {
  beforeEach(() => useImportDraftStore.getState().clear());

  it('is at least 1 GB', () => {
    expect(MAX_IMPORT_BYTES).toBeGreaterThanOrEqual(GB);
  });

  it('refuses a 1.2 GB file by its size, without reading it', async () => {
    const file = pretendFile('conversations.json', 1.2 * GB);
    const [draft] = await readDraftFiles(file);
    expect(draft!.refused).toBe(
      'conversations.json: it is too large to import (1144.4 MB; the limit is 1024 MB)',
    );
    expect(file.reads()).toBe(0);
  });

  it('takes a 900 MB file for the import worker, unread', async () => {
    const file = pretendFile('conversations.json', 0.9 * GB);
    const [draft] = await readDraftFiles(file);
    expect(draft).toMatchObject({ refused: null, bytes: null, large: file });
    expect(file.reads()).toBe(0);
  });

  it('reads a small file at once, as before', async () => {
    const bytes = read('import/claude-conversations.json');
    expect(bytes.length).toBeLessThan(LARGE_FILE_BYTES);
    const [draft] = await readDraftFiles(new File([bytes], 'c.json'));
    expect(draft!.bytes).toEqual(bytes);
    expect(draft!.large).toBeUndefined();
  });

  it('refuses a 1.2 GB stream in the core too, before reading a byte', async () => {
    let pulled = 0;
    async function* never() {
      pulled++;
      yield new Uint8Array(1);
    }
    const error = await errorOf(
      importStream(
        'big.json',
        never(),
        { now },
        { conversation: () => undefined },
        { size: 1.2 * GB },
      ),
    );
    expect((error as Error).message).toMatch(/^big\.json: it is too large to import/);
    expect(pulled).toBe(0);
  });
});

const exportInput = (text: string, name = 'conversations.json'): ImportInput => {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    size: bytes.length,
    head: () => Promise.resolve(bytes.slice(0, 4)),
    chunks: () => chunksOf(bytes),
    bytes: () => Promise.resolve(bytes),
  };
};

async function storedCounts(db: DimmemDb) {
  const conversations = await listConversations(db);
  let messages = 0;
  for (const record of conversations) messages += (await getMessages(db, record.id)).length;
  return { conversations: conversations.length, messages };
}

describe('the import session (what the worker runs): preview, check, save, cancel', () => {
  const text = chatGptExportText({ ...issueExportShape, conversations: 600, userTurns: 4 });
  const quiet = () => undefined;

  it('previews, then saves every conversation in batches without reading the file again', async () => {
    const db = await freshDb();
    const input = exportInput(text);
    const chunks = vi.spyOn(input, 'chunks');
    const session = new ImportSession(input, () => Promise.resolve(db));
    const progress: number[] = [];
    const summary = await session.preview(
      { now },
      (p) => progress.push(p.done),
      new AbortController().signal,
    );
    expect(summary).toMatchObject({ format: 'chatgpt-export', kept: true, userMessages: 2400 });
    expect(summary.rows).toHaveLength(600);
    expect(await session.check()).toEqual([]);
    const outcome = await session.save({}, 1, quiet, new AbortController().signal);
    expect(outcome.saved).toHaveLength(600);
    expect(chunks).toHaveBeenCalledTimes(1);
    expect(await storedCounts(db)).toEqual({ conversations: 600, messages: 600 * 8 });
    // The same records as the app's one-by-one save would write.
    expect(outcome.saved[0]!.userMessageCount).toBe(4);
  });

  it('finds them stored the second time, and skips, replaces or keeps both as chosen', async () => {
    const db = await freshDb();
    const first = new ImportSession(exportInput(text), () => Promise.resolve(db));
    await first.preview({ now }, quiet, new AbortController().signal);
    await first.save({}, 1, quiet, new AbortController().signal);

    const again = new ImportSession(exportInput(text), () => Promise.resolve(db));
    const summary = await again.preview({ now }, quiet, new AbortController().signal);
    const duplicates = await again.check();
    expect(duplicates).toHaveLength(600);
    expect(duplicates[0]).toMatchObject({ match: 'same-content', id: summary.rows[0]!.id });
    const outcome = await again.save(
      { [summary.rows[0]!.id]: 'keep-both', [summary.rows[1]!.id]: 'replace' },
      2,
      quiet,
      new AbortController().signal,
    );
    expect(outcome.skipped).toBe(598);
    expect(outcome.saved.map((record) => record.id)).toEqual([
      `${summary.rows[0]!.id}~2`,
      summary.rows[1]!.id,
    ]);
    expect(outcome.saved[0]!.title).toBe(`${summary.rows[0]!.title} (2)`);
    expect((await storedCounts(db)).conversations).toBe(601);
  });

  it('takes back a cancelled save entirely: nothing new stays, a replaced one is as it was', async () => {
    const db = await freshDb();
    const small = chatGptExportText({ ...issueExportShape, conversations: 3, userTurns: 4 });
    const seed = new ImportSession(exportInput(small), () => Promise.resolve(db));
    await seed.preview({ now }, quiet, new AbortController().signal);
    await seed.save({}, 1, quiet, new AbortController().signal);
    const before = await listConversations(db);

    // The same three (one replaced) among 600: cancelled once a few batches are written.
    const session = new ImportSession(exportInput(text), () => Promise.resolve(db));
    const summary = await session.preview({ now }, quiet, new AbortController().signal);
    const controller = new AbortController();
    const error = await errorOf(
      session.save(
        { [summary.rows[0]!.id]: 'replace' },
        2,
        (p) => {
          if (p.done >= 400) controller.abort();
        },
        controller.signal,
      ),
    );
    expect((error as Error).name).toBe('AbortError');
    expect(await listConversations(db)).toEqual(before);
    expect(await storedCounts(db)).toEqual({ conversations: 3, messages: 3 * 8 });
  });

  it('cancels reading too, and a file that changed after its preview is not half-saved', async () => {
    const db = await freshDb();
    const controller = new AbortController();
    const session = new ImportSession(exportInput(text), () => Promise.resolve(db));
    const error = await errorOf(
      session.preview({ now }, () => controller.abort(), controller.signal),
    );
    expect((error as Error).name).toBe('AbortError');
    expect(await storedCounts(db)).toEqual({ conversations: 0, messages: 0 });
  });

  it('reads the chat export inside a zip archive, as dropped from the email', async () => {
    const db = await freshDb();
    const zip = zipSync({
      'conversations.json': strToU8(text),
      'chat.html': strToU8('<html></html>'),
    });
    const input: ImportInput = {
      name: 'export.zip',
      size: zip.length,
      head: () => Promise.resolve(zip.slice(0, 4)),
      chunks: () => chunksOf(zip),
      bytes: () => Promise.resolve(zip),
    };
    const session = new ImportSession(input, () => Promise.resolve(db));
    const summary = await session.preview({ now }, quiet, new AbortController().signal);
    expect(summary).toMatchObject({ format: 'chatgpt-export', userMessages: 2400 });
    const saved = await session.save({}, 1, quiet, new AbortController().signal);
    expect(saved.saved[0]!.sourceName).toBe('export.zip › conversations.json');
    expect((await storedCounts(db)).conversations).toBe(600);
  });
});
