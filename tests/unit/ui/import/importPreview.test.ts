import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseNaiveIso, toIsoDate } from '../../../../src/core/time/localTime';
import { inspectImportSource, previewSource } from '../../../../src/ui/import/importPreview';
import type { ImportSource } from '../../../../src/ui/import/importPreview';

const fixtures = path.resolve(__dirname, '../../../fixtures');
const now = parseNaiveIso('2024-01-02T10:00:00')!;

const pasted = (text: string): ImportSource => ({
  key: 'paste',
  name: 'pasted text',
  text,
  bytes: null,
});
const file = (name: string, bytes: Uint8Array): ImportSource => ({
  key: name,
  name,
  text: new TextDecoder().decode(bytes),
  bytes,
});

describe('import preview (what Save would store, before anything is saved)', () => {
  it('shows the seed conversation: 14 user messages over its real dates', () => {
    const text = readFileSync(path.join(fixtures, 'seed/conversation.txt'), 'utf8');
    const source = pasted(text);
    expect(inspectImportSource(source).format).toBe('dimmem-lines');
    const preview = previewSource(source, {}, now);
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.conversations).toHaveLength(1);
    const [summary] = preview.conversations;
    expect(summary!.userMessageCount).toBe(14);
    expect(toIsoDate(summary!.first!)).toBe('2023-04-23');
    expect(toIsoDate(summary!.last!)).toBe('2023-05-05');
    expect(preview.needsDate).toBe(false);
    expect(preview.speakers).toBeNull();
  });

  it('offers both LoCoMo speakers and imports the chosen one as the user', () => {
    const bytes = new Uint8Array(readFileSync(path.join(fixtures, 'locomo/26.json')));
    const raw = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const turnsOf = (speaker: string) =>
      Object.entries(raw)
        .filter(([key, value]) => /^session_\d+$/.test(key) && Array.isArray(value))
        .flatMap(([, value]) => value as { speaker: string }[])
        .filter((turn) => turn.speaker === speaker).length;

    const byDefault = previewSource(file('26.json', bytes), {}, now);
    const chosen = previewSource(file('26.json', bytes), { speaker: 'Melanie' }, now);
    expect(byDefault.speakers).toEqual(['Caroline', 'Melanie']);
    if (!byDefault.ok || !chosen.ok) throw new Error('LoCoMo preview failed');
    expect(byDefault.format).toBe('locomo');
    expect(byDefault.conversations[0]!.userMessageCount).toBe(turnsOf('Caroline'));
    expect(chosen.conversations[0]!.userMessageCount).toBe(turnsOf('Melanie'));
  });

  it('asks for a date for an undated transcript and uses the one given', () => {
    const text = 'User: I moved to Berlin last month.\nAssistant: Nice!\nUser: I love the parks.';
    const withoutDate = previewSource(pasted(text), {}, now);
    const withDate = previewSource(pasted(text), { date: '2023-06-01' }, now);
    if (!withoutDate.ok || !withDate.ok) throw new Error('transcript preview failed');
    expect(withoutDate.needsDate).toBe(true);
    expect(toIsoDate(withoutDate.conversations[0]!.first!)).toBe('2024-01-02');
    expect(toIsoDate(withDate.conversations[0]!.first!)).toBe('2023-06-01');
  });

  it('turns a broken or binary file into the importer’s error, naming the file', () => {
    const broken = previewSource(
      file('chats.json', new TextEncoder().encode('{"mapping": {')),
      {},
      now,
    );
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error).toMatch(/^chats\.json: /);

    const binary = previewSource(
      file('photo.txt', new Uint8Array([0x89, 0x50, 0x00, 0x01])),
      {},
      now,
    );
    expect(binary.ok).toBe(false);
    if (!binary.ok) expect(binary.error).toContain('binary');
  });

  it('says how numeric dates were read and reads them the other way when switched', () => {
    const text =
      '[03/04/2024 10:00] Anna: I start the new job on Monday.\n' +
      '[03/04/2024 10:02] Ben: Good luck!\n' +
      '[05/04/2024 18:30] Anna: First week done.';
    const source = pasted(text);
    const byDefault = previewSource(source, {}, now);
    expect(byDefault).toMatchObject({
      ok: true,
      dateOrder: { order: 'day-first', reason: 'default' },
    });
    if (!byDefault.ok) return;
    expect(toIsoDate(byDefault.conversations[0]!.first!)).toBe('2024-04-03');
    const switched = previewSource(source, { dateOrder: 'month-first' }, now);
    expect(switched).toMatchObject({
      ok: true,
      dateOrder: { order: 'month-first', reason: 'chosen' },
    });
    if (!switched.ok) return;
    expect(toIsoDate(switched.conversations[0]!.first!)).toBe('2024-03-04');
  });
});
