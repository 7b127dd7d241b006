import Papa from 'papaparse';
import { beforeEach, describe, expect, it } from 'vitest';

import { memoryLineSchema } from '../../../../src/core/exchange/memoryLine';
import { createReplayEngine, seedRecordings } from '../../../../src/engine';
import { conversationContentHash } from '../../../../src/store/conversations/contentHash';
import { saveConversation } from '../../../../src/store/conversations/conversationRepository';
import type { DimmemDb } from '../../../../src/store/db/db';
import { DB_VERSIONS } from '../../../../src/store/db/db';
import { memoriesToCsv } from '../../../../src/store/exchange/csv';
import { escapeMarkdown, memoriesToMarkdown } from '../../../../src/store/exchange/markdown';
import { exportMemories } from '../../../../src/store/exchange/memoryExport';
import { createRestoreService } from '../../../../src/store/exchange/memoryRestore';
import { loadAllMemories, putMemories } from '../../../../src/store/memories/memoryRepository';
import type { MemoryRecord } from '../../../../src/store/db/records';
import { createGpuLock } from '../../../../src/store/tabs/gpuLock';
import { createRunService } from '../../../../src/store/runs/runService';
import { createPublisher } from '../../../../src/store/tabs/publish';
import {
  createLockHub,
  freshDb,
  resetStores,
  seedAnswerText,
  seedConversation,
  seedConversationText,
} from '../../../support/storeFixtures';

let db: DimmemDb;
let runId: string;
const now = () => new Date('2025-06-01T10:00:00Z');

/** A database holding the seed conversation and its 16 memories from a replayed run. */
async function extractedSeed(): Promise<DimmemDb> {
  const database = await freshDb();
  const conversation = seedConversation();
  await saveConversation(database, conversation, await conversationContentHash(conversation), 7);
  const engine = createReplayEngine(seedRecordings(seedConversationText(), [seedAnswerText()]), {
    tokensPerSecond: Infinity,
  });
  await engine.load('', () => undefined);
  let clock = 100;
  const service = createRunService({
    db: () => Promise.resolve(database),
    getEngine: () => engine,
    loadTokenCounter: null,
    lock: createGpuLock(createLockHub().client('tab')),
    publish: createPublisher({ db: () => Promise.resolve(database), channel: null }).publish,
    channel: null,
    now: () => (clock += 1),
    newRunId: () => 'run-export',
  });
  const handle = await service.start({
    conversationIds: [conversation.id],
    settings: { budget: null },
  });
  runId = (await handle.finished).id;
  return database;
}

/** Restores a file into `target` as the page does, alone (no other tabs). */
function restoreInto(target: DimmemDb, text: string, clock?: () => number) {
  const publish = createPublisher({ db: () => Promise.resolve(target), channel: null }).publish;
  return createRestoreService({
    db: () => Promise.resolve(target),
    publish,
    now: clock,
  }).restoreFile(text);
}

beforeEach(async () => {
  resetStores();
  db = await extractedSeed();
});

const withoutStamp = (text: string) => ({ ...JSON.parse(text), exportedAt: null });

describe('JSON backup', () => {
  it('re-imports into an empty database and exports again to the same data', async () => {
    const first = await exportMemories('json', { kind: 'all' }, { db, now });
    const restored = await freshDb();
    const outcome = await restoreInto(restored, first.text);
    expect(outcome).toMatchObject({ kind: 'backup', conversations: 1, runs: 1, memories: 16 });
    const second = await exportMemories('json', { kind: 'all' }, { db: restored, now });
    expect(withoutStamp(second.text)).toEqual(withoutStamp(first.text));
    expect(first.fileName).toBe('dimmem-backup-2025-06-01.json');

    // Importing the same backup again changes nothing.
    await restoreInto(restored, first.text);
    expect(await loadAllMemories(restored)).toHaveLength(16);
  });

  it('exports a selection with the conversation and run it comes from', async () => {
    const ids = [`${runId}:0:3`, `${runId}:0:5`];
    const file = await exportMemories('json', { kind: 'ids', ids }, { db, now });
    const backup = JSON.parse(file.text);
    expect(backup.memories.map((m: MemoryRecord) => m.id)).toEqual(ids);
    expect(backup.conversations).toHaveLength(1);
    expect(backup.messages).toHaveLength(14);
    expect(backup.runs.map((r: { id: string }) => r.id)).toEqual([runId]);
  });

  it('reads a backup written by the previous database version', async () => {
    const current = JSON.parse((await exportMemories('json', { kind: 'all' }, { db, now })).text);
    const old = {
      ...current,
      dbVersion: DB_VERSIONS.v1Initial,
      memories: current.memories.map(({ origin: _o, edited: _e, ...rest }: MemoryRecord) => rest),
    };
    const restored = await freshDb();
    await restoreInto(restored, JSON.stringify(old));
    const memories = await loadAllMemories(restored);
    expect(memories).toHaveLength(16);
    expect(memories.every((m) => m.origin === 'extracted' && m.edited === false)).toBe(true);
  });

  it('rejects an invalid backup and changes nothing', async () => {
    const backup = JSON.parse((await exportMemories('json', { kind: 'all' }, { db, now })).text);
    backup.memories[3].memoryType = 'opinion';
    const restored = await freshDb();
    await expect(restoreInto(restored, JSON.stringify(backup))).rejects.toThrow(/memoryType/);
    expect(await loadAllMemories(restored)).toEqual([]);
  });
});

describe('JSONL', () => {
  it('writes one memory a line and reads it back exactly', async () => {
    const file = await exportMemories('jsonl', { kind: 'all' }, { db, now });
    const lines = file.text.trimEnd().split('\n');
    expect(lines).toHaveLength(16);
    const [stored] = await loadAllMemories(db);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({
      version: 1,
      id: stored!.id,
      conversationTitle: seedConversation().title,
      sourceName: 'conversation.txt',
      runId,
      model: stored!.modelId,
      origin: 'recorded',
      edited: false,
      messageTimestamp: '2023-04-23T08:57:00.500000',
    });
    expect(Object.keys(first)).toEqual(
      // The version history (mergedFrom … decisionReasoning) is written by consolidation only.
      Object.keys(memoryLineSchema.shape).filter(
        (key) =>
          ![
            'indexInWindow',
            'mergedFrom',
            'supersededBy',
            'validUntil',
            'decision',
            'decidedBy',
            'decisionReasoning',
          ].includes(key),
      ),
    );
    const restored = await freshDb();
    await restoreInto(restored, file.text);
    expect(await loadAllMemories(restored)).toEqual(await loadAllMemories(db));
  });

  it('imports lines that lack ids and provenance, without duplicating on re-import, and names the lines it could not read', async () => {
    const line = {
      conversationId: 'locomo:abc:Caroline',
      messageId: 'm12',
      messageText: 'I went to the LGBTQ support group yesterday',
      messageTimestamp: '2023-05-08T13:56:00',
      content: 'Caroline attended an LGBTQ support group.',
      memoryType: 'episodic',
      time: '2023-05-07',
      location: '',
      reason: '',
      purpose: '',
      keywords: ['support group'],
    };
    const text = `${JSON.stringify(line)}\n\nnot json\n${JSON.stringify({ ...line, memoryType: 'x' })}\n`;
    const target = await freshDb();
    const outcome = await restoreInto(target, text, () => 5);
    expect(outcome.memories).toBe(1);
    expect(outcome.errors).toEqual([
      { line: 3, reason: expect.stringMatching(/^not JSON \(/) },
      { line: 4, reason: 'memoryType: expected one of fact|episodic|profile, got "x"' },
    ]);
    await restoreInto(target, text, () => 6);
    const [memory] = await loadAllMemories(target);
    expect(await loadAllMemories(target)).toHaveLength(1);
    expect(memory).toMatchObject({
      runId: 'imported',
      origin: 'extracted',
      // The second import replaced the first (same derived id).
      createdAt: 6,
      timeStart: Date.UTC(2023, 4, 7),
      timeEnd: Date.UTC(2023, 4, 7),
      messageTimestamp: Date.UTC(2023, 4, 8, 13, 56),
    });
    expect(memory?.id).toMatch(/^jsonl-[0-9a-f]+$/);
  });
});

describe('CSV', () => {
  it('is RFC 4180 that a CSV parser reads back row for row', async () => {
    const file = await exportMemories('csv', { kind: 'all' }, { db, now });
    const parsed = Papa.parse<Record<string, string>>(file.text, { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(16);
    const stored = await loadAllMemories(db);
    expect(parsed.data.map((row) => row.content)).toEqual(stored.map((m) => m.content));
    expect(parsed.data[0]?.keywords).toBe(stored[0]?.keywords.join('; '));
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const [base] = await loadAllMemories(db);
    const dangerous = [
      '=HYPERLINK("http://evil","x")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      '=1\n=2',
    ];
    const memories = dangerous.map((content, i) => ({ ...base!, id: `x${i}`, content }));
    const safe = { ...base!, id: 'ok', content: 'Plain text, with "quotes"', location: 'a-b' };
    const rows = Papa.parse<Record<string, string>>(memoriesToCsv([...memories, safe]), {
      header: true,
    }).data;
    expect(rows.slice(0, dangerous.length).map((row) => row.content)).toEqual(
      dangerous.map((content) => `'${content}`),
    );
    expect(rows.at(-1)).toMatchObject({ content: 'Plain text, with "quotes"', location: 'a-b' });
  });

  it('exports only the selection it is given', async () => {
    const file = await exportMemories(
      'csv',
      { kind: 'filter', keep: (memory) => memory.memoryType === 'profile' },
      { db, now },
    );
    const rows = Papa.parse<Record<string, string>>(file.text, { header: true }).data;
    const profiles = (await loadAllMemories(db)).filter((m) => m.memoryType === 'profile');
    expect(profiles.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.id)).toEqual(profiles.map((m) => m.id));
  });
});

describe('Markdown', () => {
  it('lists memories under their conversation with chat text escaped', async () => {
    const file = await exportMemories('markdown', { kind: 'all' }, { db, now });
    expect(file.text).toContain(`## ${escapeMarkdown(seedConversation().title)}`);
    expect(file.text.match(/^- \*\*/gm)).toHaveLength(16);
    const [base] = await loadAllMemories(db);
    const hostile = { ...base!, content: '<img src=x onerror=alert(1)> [link](http://x)' };
    const text = memoriesToMarkdown([hostile]);
    expect(text).toContain('&lt;img src=x onerror=alert\\(1\\)&gt; \\[link\\]\\(http://x\\)');
    expect(text).not.toContain('<img');
  });

  it('labels memories from the replay demo as recorded, and only those', async () => {
    const file = await exportMemories('markdown', { kind: 'all' }, { db, now });
    const origin = /^ {2}- Origin: recorded answer \(demo\), not extracted by a model run$/gm;
    // The seed run used the replay engine: every one of its 16 memories is a recorded answer.
    expect(file.text.match(origin)).toHaveLength(16);
    const [base] = await loadAllMemories(db);
    expect(base?.origin).toBe('recorded');
    const extracted = { ...base!, id: 'live', origin: 'extracted' as const };
    const text = memoriesToMarkdown([base!, extracted]);
    expect(text.match(origin)).toHaveLength(1);
    const items = text.split(/^- /m).slice(1);
    expect(items[0]).toContain('Origin: recorded answer');
    expect(items[1]).not.toContain('Origin:');
  });
});

describe('selection', () => {
  it('keeps the order of an id selection and ignores unknown ids', async () => {
    await putMemories(db, []);
    const ids = [`${runId}:0:9`, 'missing', `${runId}:0:1`];
    const file = await exportMemories('jsonl', { kind: 'ids', ids }, { db, now });
    expect(
      file.text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([`${runId}:0:9`, `${runId}:0:1`]);
  });
});
