import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { userMessages } from '../../../../src/core/conversation';
import {
  MAX_IMPORT_BYTES,
  detectFormat,
  formatLabels,
  importBytes,
  importText,
  speakersOf,
} from '../../../../src/core/import';
import { localTimeFromParts, toPythonIsoformat } from '../../../../src/core/time/localTime';
import { importErrorOf } from '../../../support/importErrorOf';

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, '../../../fixtures/import', name), 'utf8');
const seedPath = path.resolve(__dirname, '../../../fixtures/seed/conversation.txt');
const iso = (time: number | null) => (time === null ? null : toPythonIsoformat(time));
const now = localTimeFromParts(2024, 10, 1, 12, 0, 0);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('DimMem line format', () => {
  const seed = readFileSync(seedPath, 'utf8');
  const seedLines = seed.trim().split('\n');

  it('imports the seed conversation: 14 user messages with their exact timestamps and text', () => {
    const result = importText('conversation.txt', seed);
    expect(result.format).toBe('dimmem-lines');
    expect(result.warnings).toEqual([]);
    const [conversation] = result.conversations;
    const users = userMessages(conversation!);
    expect(users).toHaveLength(14);
    expect(users.map((message) => iso(message.timestamp))).toEqual(
      seedLines.map((line) => /^\[([^,]+),/.exec(line)![1]),
    );
    expect(iso(users[0]!.timestamp)).toBe('2023-04-23T08:57:00.500000');
    expect(iso(users[13]!.timestamp)).toBe('2023-05-05T03:48:00.500000');
    expect(users.map((message) => message.text)).toEqual(
      seedLines.map((line) => line.replace(/^\[[^\]]+\] \d+\.User: /, '').trim()),
    );
    expect(users.map((message) => message.id)).toEqual(users.map((_, index) => `m${index}`));
    expect(users[0]!.sourceRef).toBe('line 1');
    expect(conversation!.assumedTimestamps).toBeUndefined();
  });

  it('gives the same id to the same text, whatever the file is called', () => {
    const first = importText('conversation.txt', seed).conversations[0]!;
    const again = importText('pasted text', seed.replace(/\n/g, '\r\n')).conversations[0]!;
    expect(first.id).toMatch(/^dimmem:[0-9a-f]+$/);
    expect(again.id).toBe(first.id);
  });

  it('keeps fractions across midnight and joins a continuation line to its message', () => {
    const [conversation] = importText('lease.txt', fixture('dimmem-fractions.txt')).conversations;
    expect(conversation!.messages.map((message) => iso(message.timestamp))).toEqual([
      '2024-02-29T23:59:59.500000',
      '2024-03-01T00:00:00',
    ]);
    expect(conversation!.messages[1]!.text).toBe(
      'The landlord said the deposit is two months of rent, due by 15 March.\nIt is refundable if we leave the flat as we found it.',
    );
  });

  it('warns when a weekday does not match its date', () => {
    const result = importText('x.txt', '[2023-04-23T08:57:01, Mon] 1.User: hello there');
    expect(result.warnings).toEqual([
      'line 1: 2023-04-23T08:57:01 is a Sun, not a Mon; kept the date',
    ]);
    expect(iso(result.conversations[0]!.messages[0]!.timestamp)).toBe('2023-04-23T08:57:01');
  });
});

describe('pasted transcripts', () => {
  it('reads User/Assistant with multi-line messages, and assumes the import time when undated', () => {
    const result = importText('pasted text', fixture('transcript-plain.txt'), { now });
    expect(result.format).toBe('transcript');
    expect(result.warnings).toEqual([]);
    const [conversation] = result.conversations;
    expect(conversation!.messages.map((message) => `${message.role}:${message.speaker}`)).toEqual([
      'user:User',
      'assistant:Assistant',
      'user:User',
      'assistant:Assistant',
      'user:User',
    ]);
    expect(conversation!.messages[0]!.text).toBe(
      'I want to start running again after a knee injury last winter. My physio cleared me last week.\nWhere should I start?',
    );
    // "Note:" inside the answer is part of it, not a new speaker; the blank line is kept.
    expect(conversation!.messages[1]!.text).toBe(
      "Great news that you're cleared! A gentle plan:\n\n1. Week 1–2: walk-run intervals, 1 minute running / 2 minutes walking, 20 minutes total.\n2. Week 3–4: 2 minutes running / 1 minute walking.\nNote: stop if the knee swells the next morning.",
    );
    expect(conversation!.assumedTimestamps).toEqual({ date: now, reason: 'import-time' });
    expect(userMessages(conversation!).map((message) => iso(message.timestamp))).toEqual([
      '2024-10-01T12:00:00',
      '2024-10-01T12:00:00.500000',
      '2024-10-01T12:00:01',
    ]);
  });

  it('uses a date the user gives instead of the import time', () => {
    const fallbackDate = localTimeFromParts(2022, 6, 30);
    const [conversation] = importText('pasted text', fixture('transcript-plain.txt'), {
      fallbackDate,
      now,
    }).conversations;
    expect(conversation!.assumedTimestamps).toEqual({ date: fallbackDate, reason: 'user-given' });
    expect(iso(conversation!.messages[0]!.timestamp)).toBe('2022-06-30T00:00:00');
  });

  it('reads ChatGPT\'s "You said: / ChatGPT said:" copy', () => {
    const [conversation] = importText('pasted text', fixture('transcript-chatgpt-copy.txt'), {
      now,
    }).conversations;
    expect(conversation!.messages.map((message) => `${message.role}:${message.speaker}`)).toEqual([
      'user:You',
      'assistant:ChatGPT',
      'user:You',
      'assistant:ChatGPT',
    ]);
    expect(conversation!.messages[0]!.text).toBe(
      "I've been getting headaches every afternoon since I switched to a standing desk.\nCould the height be wrong?",
    );
  });

  it('keeps timestamps on named speakers, takes the first as the user, and says so', () => {
    const text = fixture('transcript-timestamps.txt');
    expect(speakersOf(text)).toEqual(['Anna', 'Ben']);
    const result = importText('family.txt', text, { now });
    expect(result.warnings).toEqual([
      '1 line(s) before the first "Name:" line were ignored',
      'took "Anna", the first speaker, as the user (speakers: Anna, Ben); choose another speaker to change this',
    ]);
    const [conversation] = result.conversations;
    expect(conversation!.assumedTimestamps).toBeUndefined();
    expect(
      conversation!.messages.map(
        (message) => `${iso(message.timestamp)} ${message.role} ${message.speaker}`,
      ),
    ).toEqual([
      '2024-03-01T09:15:00 user Anna',
      '2024-03-01T09:17:00 other Ben',
      '2024-03-01T09:18:00 user Anna',
      '2024-03-01T09:20:00 other Ben',
      // No time of its own: follows the last time before it.
      '2024-03-01T09:20:00 user Anna',
      '2024-03-02T18:40:00 user Anna',
      '2024-03-02T18:41:00 other Ben',
    ]);
    expect(conversation!.messages[2]!.text).toBe(
      'Good idea, he loved the lamb there last year.\nI can call them at lunch.',
    );
    expect(conversation!.messages[0]!.sourceRef).toBe('line 3');
  });

  it('lets the user choose the speaker, or both, and refuses an unknown one', () => {
    const text = fixture('transcript-timestamps.txt');
    const ben = importText('family.txt', text, { speaker: 'Ben', now });
    expect(ben.warnings).toEqual(['1 line(s) before the first "Name:" line were ignored']);
    expect(userMessages(ben.conversations[0]!).map((message) => message.speaker)).toEqual([
      'Ben',
      'Ben',
      'Ben',
    ]);
    const both = importText('family.txt', text, { speaker: 'both', now });
    expect(both.conversations.map((conversation) => userMessages(conversation).length)).toEqual([
      4, 3,
    ]);
    expect(
      importErrorOf(() => importText('family.txt', text, { speaker: 'Carla', now })).message,
    ).toBe(
      'family.txt: could not import as plain transcript: speaker "Carla" is not in this conversation; choose one of Anna, Ben or "both"',
    );
  });

  it('takes the day from a date line, and rolls a time-only clock past midnight', () => {
    const [conversation] = importText('chat.txt', fixture('transcript-times-only.txt'), {
      now,
    }).conversations;
    expect(conversation!.messages.map((message) => iso(message.timestamp))).toEqual([
      '2024-03-08T23:58:00',
      '2024-03-08T23:59:00',
      '2024-03-09T00:02:00',
      '2024-03-09T00:04:00',
    ]);
    expect(conversation!.assumedTimestamps).toBeUndefined();
    expect(userMessages(conversation!).map((message) => message.speaker)).toEqual(['Me', 'Me']);
  });

  it('reads a time after the name, other date styles, and marks time-only stamps without a date as assumed', () => {
    const text = [
      'Ria (2024-03-01 09:15): Morning! The plumber comes at 11.',
      'Tom (March 1, 2024 at 9:20 AM): OK, I will be home.',
    ].join('\n');
    const [conversation] = importText('t.txt', text, { now }).conversations;
    expect(conversation!.messages.map((message) => iso(message.timestamp))).toEqual([
      '2024-03-01T09:15:00',
      '2024-03-01T09:20:00',
    ]);
    const timesOnly = importText('t.txt', '[09:15] User: hi\n[09:16] Assistant: hello', { now });
    expect(timesOnly.conversations[0]!.assumedTimestamps).toEqual({
      date: now,
      reason: 'import-time',
    });
    expect(iso(timesOnly.conversations[0]!.messages[0]!.timestamp)).toBe('2024-10-01T09:15:00');
  });

  it('does not offer a speaker choice when one speaker is clearly the user', () => {
    expect(speakersOf(fixture('transcript-plain.txt'))).toBeNull();
    expect(speakersOf(fixture('transcript-times-only.txt'))).toBeNull();
  });
});

describe('format detection', () => {
  it.each([
    ['dimmem-fractions.txt', 'dimmem-lines'],
    ['transcript-plain.txt', 'transcript'],
    ['transcript-timestamps.txt', 'transcript'],
    ['transcript-chatgpt-copy.txt', 'transcript'],
    ['transcript-times-only.txt', 'transcript'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(fixture(name))).toBe(format);
  });

  it('detects the seed conversation and says null for what it cannot read', () => {
    expect(detectFormat(readFileSync(seedPath, 'utf8'))).toBe('dimmem-lines');
    expect(detectFormat('just some prose without speakers')).toBeNull();
    expect(detectFormat('{"a": 1}')).toBeNull();
    expect(detectFormat('{"a": ')).toBeNull();
  });

  it('labels every format', () => {
    expect(Object.keys(formatLabels).sort()).toEqual([
      'chatgpt-export',
      'claude-export',
      'dimmem-lines',
      'locomo',
      'longmemeval',
      'openai-messages',
      'sharegpt',
      'transcript',
    ]);
  });
});

describe('bad input: one clear ImportError naming the file, the formats tried and the problem', () => {
  const allJson =
    'tried ChatGPT export, Claude export, LongMemEval, LoCoMo, ShareGPT, OpenAI messages';

  it('empty text or an empty file', () => {
    expect(importErrorOf(() => importText('notes.txt', '  \n\n ')).message).toBe(
      'notes.txt: it is empty',
    );
    expect(importErrorOf(() => importBytes('empty.json', new Uint8Array())).message).toBe(
      'empty.json: it is empty',
    );
  });

  it('a binary file (NUL bytes) or bytes that are not UTF-8', () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    ]);
    expect(importErrorOf(() => importBytes('photo.png', png)).message).toBe(
      'photo.png: it looks like a binary file (it contains NUL bytes), not text',
    );
    const latin1 = new Uint8Array([0x55, 0x73, 0x65, 0x72, 0x3a, 0x20, 0x63, 0x61, 0x66, 0xe9]);
    expect(importErrorOf(() => importBytes('chat.txt', latin1)).message).toBe(
      'chat.txt: it is not UTF-8 text (a binary file, or another text encoding)',
    );
  });

  it('reads UTF-8 bytes, with or without a byte-order mark, and BOM-marked UTF-16', () => {
    const text = fixture('transcript-plain.txt');
    const plain = importBytes('a.txt', utf8(text), { now });
    const withBom = importBytes('a.txt', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]), {
      now,
    });
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      utf16[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      utf16[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    const fromUtf16 = importBytes('a.txt', utf16, { now });
    expect(withBom.conversations).toEqual(plain.conversations);
    expect(fromUtf16.conversations).toEqual(plain.conversations);
  });

  it('truncated JSON, with the line where it ends', () => {
    const full = fixture('chatgpt-conversations.json');
    const cut = full.split('\n').slice(0, 40).join('\n');
    expect(importErrorOf(() => importText('conversations.json', cut)).message).toBe(
      `conversations.json: not a supported chat format (${allJson}): JSON ends unexpectedly at line 40`,
    );
    expect(
      importErrorOf(() => importText('conversations.json', '[{"title": "a"},\n{"title": ')).message,
    ).toBe(
      `conversations.json: not a supported chat format (${allJson}): JSON ends unexpectedly at line 2`,
    );
  });

  it('malformed JSON, with line and column', () => {
    const error = importErrorOf(() =>
      importText('data.json', '{\n  "title": "x"\n  "mapping": {}\n}'),
    );
    expect(error.formatsTried).toEqual([
      'chatgpt-export',
      'claude-export',
      'longmemeval',
      'locomo',
      'sharegpt',
      'openai-messages',
    ]);
    expect(error.message).toMatch(
      new RegExp(
        `^data\\.json: not a supported chat format \\(${allJson}\\): invalid JSON at line 3, column 3`,
      ),
    );
  });

  it('JSON of an unknown shape says what it found', () => {
    expect(
      importErrorOf(() => importText('package.json', '{"name": "x", "version": "1.0.0"}')).message,
    ).toBe(
      `package.json: not a supported chat format (${allJson}): JSON of unknown shape: an object with keys name, version`,
    );
    expect(importErrorOf(() => importText('numbers.json', '[1, 2, 3]')).message).toBe(
      `numbers.json: not a supported chat format (${allJson}): JSON of unknown shape: a list of 3 items; the first is a number`,
    );
  });

  it('a known format in which no conversation can be read', () => {
    const error = importErrorOf(() =>
      importText('conversations.json', '[{"uuid": "u1", "name": "Empty", "chat_messages": []}]'),
    );
    expect(error.formatsTried).toEqual(['claude-export']);
    expect(error.message).toBe(
      'conversations.json: could not import as Claude export: conversation 1 ("Empty"): it has no messages with text',
    );
  });

  it('text that is neither JSON nor a transcript', () => {
    const error = importErrorOf(() =>
      importText('essay.txt', 'Once upon a time there was a memory model.\nThe end.'),
    );
    expect(error.formatsTried).toEqual(['dimmem-lines', 'transcript']);
    expect(error.message).toBe(
      'essay.txt: not a supported chat format (tried DimMem lines, plain transcript): it is not JSON and has no "Name: message" lines',
    );
  });

  it('a file over the size limit is refused before it is decoded', () => {
    expect(MAX_IMPORT_BYTES).toBe(1024 * 1024 * 1024);
    // Zero bytes would be "binary" if decoded: the size message proves the check came first.
    // The size is claimed, not allocated (tests/unit/workerImport.test.ts has the streamed limit).
    const huge = new Uint8Array(8);
    Object.defineProperty(huge, 'byteLength', { value: MAX_IMPORT_BYTES + 1 });
    expect(importErrorOf(() => importBytes('dump.json', huge)).message).toBe(
      'dump.json: it is too large to import (1024.0 MB; the limit is 1024 MB)',
    );
  });
});
