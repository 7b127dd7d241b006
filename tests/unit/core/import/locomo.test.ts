import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { userMessages } from '../../../../src/core/conversation';
import { ImportError, detectFormat, importText, speakersOf } from '../../../../src/core/import';
import type { LocalTime } from '../../../../src/core/time/localTime';

const locomoDir = path.resolve(__dirname, '../../../fixtures/locomo');
const files = readdirSync(locomoDir)
  .filter((name) => name.endsWith('.json'))
  .sort();

interface RawTurn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}
type RawLocomo = Record<string, unknown> & { speaker_a: string; speaker_b: string };

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The inverse of LoCoMo's date text, written independently of the importer's parser. */
function asLocomoDate(time: LocalTime): string {
  const date = new Date(time);
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  const meridiem = hours < 12 ? 'am' : 'pm';
  return `${hour12}:${minutes} ${meridiem} on ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}, ${date.getUTCFullYear()}`;
}

function sessionsOf(raw: RawLocomo): { number: number; date: string; turns: RawTurn[] }[] {
  return Object.keys(raw)
    .map((key) => /^session_(\d+)$/.exec(key)?.[1])
    .filter((number): number is string => number !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
    .map((number) => ({
      number,
      date: raw[`session_${number}_date_time`] as string,
      turns: raw[`session_${number}`] as RawTurn[],
    }));
}

describe('LoCoMo import: all 10 real files', () => {
  it('finds the 10 files', () => {
    expect(files).toHaveLength(10);
  });

  for (const file of files) {
    describe(file, () => {
      const text = readFileSync(path.join(locomoDir, file), 'utf8');
      const raw = JSON.parse(text) as RawLocomo;
      const sessions = sessionsOf(raw);
      const allTurns = sessions.flatMap((session) => session.turns);

      it('is detected as LoCoMo and offers its two speakers', () => {
        expect(detectFormat(text)).toBe('locomo');
        expect(speakersOf(text)).toEqual([raw.speaker_a, raw.speaker_b]);
      });

      it('imports every turn once, speaker_a as the user by default', () => {
        const result = importText(file, text);
        expect(result.format).toBe('locomo');
        expect(result.warnings).toEqual([]);
        expect(result.conversations).toHaveLength(1);
        const [conversation] = result.conversations;
        expect(conversation!.participants.sort()).toEqual([raw.speaker_a, raw.speaker_b].sort());
        expect(conversation!.messages).toHaveLength(allTurns.length);
        expect(conversation!.messages.map((message) => message.sourceRef)).toEqual(
          allTurns.map((turn) => turn.dia_id),
        );
        expect(conversation!.messages.map((message) => message.id).slice(0, 3)).toEqual([
          'm0',
          'm1',
          'm2',
        ]);
        const users = userMessages(conversation!);
        expect(users).toHaveLength(
          allTurns.filter((turn) => turn.speaker === raw.speaker_a).length,
        );
        expect(users.every((message) => message.speaker === raw.speaker_a)).toBe(true);
        expect(
          conversation!.messages
            .filter((message) => message.role === 'other')
            .every((message) => message.speaker === raw.speaker_b),
        ).toBe(true);
      });

      it('dates each session from session_N_date_time, user turns 0.5 s apart', () => {
        const [conversation] = importText(file, text).conversations;
        let offset = 0;
        for (const session of sessions) {
          const messages = conversation!.messages.slice(offset, offset + session.turns.length);
          offset += session.turns.length;
          const start = messages[0]!.timestamp!;
          expect(asLocomoDate(start)).toBe(session.date);
          const userTimes = messages
            .filter((message) => message.role === 'user')
            .map((message) => message.timestamp! - start);
          expect(userTimes).toEqual(userTimes.map((_, k) => 500 * k));
        }
      });

      it('keeps image captions as text', () => {
        const [conversation] = importText(file, text).conversations;
        const captioned = allTurns.filter((turn) => turn.blip_caption);
        expect(captioned.length).toBeGreaterThan(0);
        for (const turn of captioned) {
          const message = conversation!.messages.find(
            (candidate) => candidate.sourceRef === turn.dia_id,
          );
          expect(message!.text).toContain(turn.text.trim());
          expect(message!.text).toContain(`[shares ${turn.blip_caption!.trim()}]`);
        }
      });

      it("'both' gives one conversation per speaker, each with its own user", () => {
        const result = importText(file, text, { speaker: 'both' });
        expect(result.conversations).toHaveLength(2);
        const [a, b] = result.conversations;
        expect(a!.id).not.toBe(b!.id);
        expect(userMessages(a!).every((message) => message.speaker === raw.speaker_a)).toBe(true);
        expect(userMessages(b!).every((message) => message.speaker === raw.speaker_b)).toBe(true);
        expect(userMessages(a!).length + userMessages(b!).length).toBe(allTurns.length);
      });
    });
  }
});

describe('LoCoMo details', () => {
  const text = readFileSync(path.join(locomoDir, '26.json'), 'utf8');

  it('reads the first session of 26.json as 2023-05-08 13:56 and the caption of D1:5', () => {
    const [conversation] = importText('26.json', text).conversations;
    expect(new Date(conversation!.messages[0]!.timestamp!).toISOString()).toBe(
      '2023-05-08T13:56:00.000Z',
    );
    const photo = conversation!.messages.find((message) => message.sourceRef === 'D1:5');
    expect(photo!.text).toBe(
      'The transgender stories were so inspiring! I was so happy and thankful for all the support. [shares a photo of a dog walking past a wall with a painting of a woman]',
    );
  });

  it('reads 12:48 am as just after midnight (30.json, session 3)', () => {
    const file = readFileSync(path.join(locomoDir, '30.json'), 'utf8');
    const raw = JSON.parse(file) as RawLocomo;
    expect(raw.session_3_date_time).toBe('12:48 am on 1 February, 2023');
    const [conversation] = importText('30.json', file).conversations;
    const firstOfSession3 = conversation!.messages.find((message) => message.sourceRef === 'D3:1');
    expect(new Date(firstOfSession3!.timestamp!).toISOString()).toBe('2023-02-01T00:48:00.000Z');
  });

  it('lets the user pick the other speaker, case-insensitively', () => {
    const [conversation] = importText('26.json', text, { speaker: 'melanie' }).conversations;
    expect(userMessages(conversation!)[0]!.speaker).toBe('Melanie');
    expect(conversation!.id).toMatch(/:Melanie$/);
  });

  it('refuses an unknown speaker and names the ones there are', () => {
    expect(() => importText('26.json', text, { speaker: 'Bob' })).toThrowError(ImportError);
    expect(() => importText('26.json', text, { speaker: 'Bob' })).toThrowError(
      '26.json: could not import as LoCoMo: speaker "Bob" is not in this conversation; choose one of Caroline, Melanie or "both"',
    );
  });

  it('gives the same ids on re-import, and reads the benchmark wrapper with sample_id', () => {
    expect(importText('26.json', text).conversations[0]!.id).toBe(
      importText('copy.json', text).conversations[0]!.id,
    );
    const wrapped = JSON.stringify([
      { sample_id: 'conv-26', conversation: JSON.parse(text), qa: [] },
    ]);
    const result = importText('locomo10.json', wrapped);
    expect(result.format).toBe('locomo');
    expect(result.conversations[0]!.id).toBe('locomo:conv-26:Caroline');
    expect(result.conversations[0]!.messages).toHaveLength(419);
  });
});
