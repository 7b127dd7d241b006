import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../../src/cli/command';
import { promptsCommand } from '../../../../src/cli/commands/prompts';

import { userMessages } from '../../../../src/core/conversation';
import { importText, type ImportOptions } from '../../../../src/core/import';
import { localTimeFromParts, toPythonIsoformat } from '../../../../src/core/time/localTime';
import { withTempDir } from '../../../support/tempDir';
import { importErrorOf } from '../../../support/importErrorOf';

const now = localTimeFromParts(2024, 10, 1, 12, 0, 0);
const iso = (time: number | null) => (time === null ? null : toPythonIsoformat(time));

function transcript(text: string, options: ImportOptions = {}) {
  const result = importText('chat.txt', text, { now, ...options });
  const [conversation] = result.conversations;
  return {
    result,
    messages: conversation!.messages.map((message) => ({
      speaker: message.speaker,
      text: message.text,
      time: iso(message.timestamp),
    })),
  };
}

describe('transcript stamps before the name', () => {
  it('reads a bracketed numeric date day first, and says which rule it applied', () => {
    const { result, messages } = transcript(
      [
        '[03/04/2024 10:00] Anna: Did anyone book the restaurant?',
        '[03/04/2024 10:02] Ben: Not yet.',
        '[05/04/2024, 18:40:15] Anna: Booked!',
      ].join('\n'),
      { speaker: 'Anna' },
    );
    expect(messages).toEqual([
      { speaker: 'Anna', text: 'Did anyone book the restaurant?', time: '2024-04-03T10:00:00' },
      { speaker: 'Ben', text: 'Not yet.', time: '2024-04-03T10:02:00' },
      { speaker: 'Anna', text: 'Booked!', time: '2024-04-05T18:40:15' },
    ]);
    expect(result.dateOrder).toEqual({ order: 'day-first', reason: 'default' });
    expect(result.warnings).toEqual([]);
  });

  it('reads month first when a second part is over 12, or when the user chooses it', () => {
    const us = transcript(
      ['[03/04/2024 10:00] Anna: first', '[03/25/2024 09:00] Ben: second'].join('\n'),
      { speaker: 'Anna' },
    );
    expect(us.messages.map((m) => m.time)).toEqual(['2024-03-04T10:00:00', '2024-03-25T09:00:00']);
    expect(us.result.dateOrder).toEqual({ order: 'month-first', reason: 'part over 12' });

    const chosen = transcript('[03/04/2024 10:00] Anna: first\n[03/04/2024 10:05] Ben: b', {
      speaker: 'Anna',
      dateOrder: 'month-first',
    });
    expect(chosen.messages.map((m) => m.time)).toEqual([
      '2024-03-04T10:00:00',
      '2024-03-04T10:05:00',
    ]);
    expect(chosen.result.dateOrder).toEqual({ order: 'month-first', reason: 'chosen' });

    const european = transcript('[25/03/2024 10:00] Anna: a\n[03/04/2024 10:05] Ben: b', {
      speaker: 'Anna',
    });
    expect(european.messages.map((m) => m.time)).toEqual([
      '2024-03-25T10:00:00',
      '2024-04-03T10:05:00',
    ]);
    expect(european.result.dateOrder).toEqual({ order: 'day-first', reason: 'part over 12' });
  });

  it('reads the documented month-name and LoCoMo stamps without brackets', () => {
    const { messages, result } = transcript(
      [
        'March 1, 2024 at 9:25 AM Ben: Are we still on for Saturday?',
        '9:35 am on 1 March, 2024 Anna: Yes, 7 pm.',
        'Fri, 1 March 2024 21:05 - Ben: Great.',
      ].join('\n'),
      { speaker: 'Ben' },
    );
    expect(messages).toEqual([
      { speaker: 'Ben', text: 'Are we still on for Saturday?', time: '2024-03-01T09:25:00' },
      { speaker: 'Anna', text: 'Yes, 7 pm.', time: '2024-03-01T09:35:00' },
      { speaker: 'Ben', text: 'Great.', time: '2024-03-01T21:05:00' },
    ]);
    expect(result.dateOrder).toBeUndefined();
  });

  it('imports a file made only of such lines', () => {
    const { messages } = transcript(
      '[03/04/2024 10:00] Anna: one\n[03/04/2024 10:01] Ben: two\n[03/04/2024 10:02] Anna: three',
      { speaker: 'Anna' },
    );
    expect(messages).toHaveLength(3);
  });

  it('never merges a stamped line silently: a stamp it cannot read gives a warning naming the line', () => {
    const { messages, result } = transcript(
      [
        '[03/04/2024 10:00] Anna: one',
        '[31/31/2024 10:01] Ben: two',
        '[03/04/2024 10:02] Anna: three',
        '44:99 Ben: four',
      ].join('\n'),
      { speaker: 'Anna' },
    );
    expect(messages.map((m) => [m.speaker, m.text])).toEqual([
      ['Anna', 'one'],
      ['Ben', 'two'],
      ['Anna', 'three'],
      ['Ben', 'four'],
    ]);
    expect(result.warnings).toEqual([
      'line 2: "31/31/2024 10:01" was not understood as a date or time; the message has no time of its own',
      'line 4: "44:99" was not understood as a date or time; the message has no time of its own',
    ]);
  });

  it('warns when a day-first date is impossible in the chosen order', () => {
    const { result } = transcript('[25/03/2024 10:00] Anna: a\n[26/03/2024 10:00] Ben: b', {
      speaker: 'Anna',
      dateOrder: 'month-first',
    });
    expect(result.warnings[0]).toBe(
      'line 1: "25/03/2024 10:00" was not understood as a date or time (dates are read month first); the message has no time of its own',
    );
  });
});

describe('transcript turns', () => {
  it('does not start turns at User:/Assistant: lines inside ``` code fences', () => {
    const { messages } = transcript(
      [
        'User: How do I log a chat in Python?',
        'Assistant: Like this:',
        '```',
        'User: hello',
        'Assistant: hi there',
        '```',
        'Each line is one turn.',
        'User: Thanks.',
      ].join('\n'),
    );
    expect(messages.map((m) => m.speaker)).toEqual(['User', 'Assistant', 'User']);
    expect(messages[1]!.text).toBe(
      'Like this:\n```\nUser: hello\nAssistant: hi there\n```\nEach line is one turn.',
    );
  });

  it('ignores zero-width spaces, direction marks and a byte-order mark before a name', () => {
    const { messages } = transcript(
      [
        '\ufeffUser: first',
        'Assistant: reply',
        '\u200bUser: second',
        '\u200e[2024-03-01 10:00] \u200fAssistant: dated reply',
        'User\u200b: third 👨‍👩‍👧',
      ].join('\n'),
    );
    expect(messages.map((m) => [m.speaker, m.text])).toEqual([
      ['User', 'first'],
      ['Assistant', 'reply'],
      ['User', 'second'],
      ['Assistant', 'dated reply'],
      ['User', 'third 👨‍👩‍👧'],
    ]);
    expect(
      userMessages(transcript('\u200bUser: a\n\u200bAssistant: b').result.conversations[0]!),
    ).toHaveLength(1);
  });

  it('still refuses a text without any speaker line', () => {
    const error = importErrorOf(() =>
      importText('notes.txt', 'just some notes\nmore notes', { now }),
    );
    expect(error.message).toMatch(/no "Name: message" lines/);
  });
});

describe('--date-order', () => {
  it('reads 03/04/2024 day first by default, month first when asked, and says which', async () => {
    await withTempDir('dimmem-dates-', async (dir) => {
      const file = path.join(dir, 'chat.txt');
      await writeFile(file, '[03/04/2024 10:00] User: hello\n[03/04/2024 10:01] Assistant: hi\n');
      const run = async (...args: string[]) => {
        let out = '';
        const notes: string[] = [];
        await promptsCommand.run([file, '--window', '0', ...args], {
          out: (text) => (out += text),
          note: (line) => notes.push(line),
        });
        return { out, notes };
      };
      const dayFirst = await run();
      expect(dayFirst.out).toContain('[2024-04-03T10:00:00, Wed] 1.User: hello');
      expect(dayFirst.notes).toContain(
        'dates such as 03/04/2024 read day first (3 April): the default; --date-order month-first to change',
      );
      const monthFirst = await run('--date-order', 'month-first');
      expect(monthFirst.out).toContain('[2024-03-04T10:00:00, Mon] 1.User: hello');
      expect(monthFirst.notes).toContain(
        'dates such as 03/04/2024 read month first (March 4): as --date-order says; --date-order day-first to change',
      );
      await expect(run('--date-order', 'ymd')).rejects.toThrow(UsageError);
    });
  });
});
