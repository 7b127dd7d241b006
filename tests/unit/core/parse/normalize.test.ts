import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Message } from '../../../../src/core/conversation';
import { normalizeMemories, parseAnswer } from '../../../../src/core/parse';
import { memoryTimeWarning, parseMemoryTime } from '../../../../src/core/parse/memoryTime';
import type { AnswerMemory } from '../../../../src/core/schema/answer';
import { localTimeFromParts, parseNaiveIso } from '../../../../src/core/time/localTime';
import { planWindows } from '../../../../src/core/windows';

const seedDir = path.resolve(__dirname, '../../../fixtures/seed');

/** The card's 14 user messages, read with a local regex so these tests do not rely on importers. */
const seedMessages: Message[] = readFileSync(path.join(seedDir, 'conversation.txt'), 'utf8')
  .trimEnd()
  .split('\n')
  .map((line, index) => {
    const match = /^\[([^,]+), \w{3}\] \d+\.User: (.*)$/.exec(line);
    if (!match) throw new Error(`unexpected line: ${line}`);
    return {
      id: `m${index}`,
      role: 'user',
      speaker: 'User',
      text: match[2]!,
      timestamp: parseNaiveIso(match[1]!),
      sourceRef: `line ${index + 1}`,
    };
  });

const replay = parseAnswer(readFileSync(path.join(seedDir, 'replay-window0.json'), 'utf8'));
const [window0] = planWindows(seedMessages);
/** Window 1 of the second golden prompt: size 9, overlap 3 → messages 7–14, the first 3 context. */
const window1 = planWindows(seedMessages, { size: 9, overlap: 3 })[1]!;

const memory = (
  sourceId: number,
  overrides: Partial<AnswerMemory['dimension']> & { content?: string } = {},
): AnswerMemory => {
  const { content = 'The user likes pasta.', ...dimension } = overrides;
  return {
    source_id: sourceId,
    content,
    dimension: {
      memory_type: 'profile',
      time: '',
      location: '',
      reason: '',
      purpose: '',
      keywords: ['pasta'],
      ...dimension,
    },
  };
};

describe('normalizeMemories', () => {
  it("maps every memory of the card's answer to its message in window 0", () => {
    expect(seedMessages).toHaveLength(14);
    const { memories, dropped } = normalizeMemories(replay.memories, window0!);
    expect(dropped).toEqual([]);
    expect(memories).toHaveLength(16);
    // Memory 4 ("craving Italian food…") comes from window line 7: the card's message 8.
    expect(memories[4]).toEqual({
      messageId: 'm6',
      messageText: seedMessages[6]!.text,
      messageTimestamp: localTimeFromParts(2023, 4, 27, 13, 38), // `[2023-04-27T13:38:00, Thu] 8.User: …`
      sourceIdInWindow: 7,
      content: replay.memories[4]!.content,
      memoryType: 'episodic',
      time: '2023-04-27',
      timeStart: localTimeFromParts(2023, 4, 27),
      timeEnd: localTimeFromParts(2023, 4, 27),
      location: 'Bella Vita',
      reason: '',
      purpose: '',
      keywords: ['Italian food', 'Spaghetti Carbonara', 'Bella Vita'],
    });
    expect(memories.map((m) => m.messageId)).toEqual(
      replay.memories.map((m) => `m${m.source_id - 1}`),
    );
  });

  it('maps window-local numbers to the global message in a later window', () => {
    expect(window1.messages.map((m) => m.id)).toEqual([
      'm6',
      'm7',
      'm8',
      'm9',
      'm10',
      'm11',
      'm12',
      'm13',
    ]);
    const { memories } = normalizeMemories([memory(4), memory(8)], window1);
    expect(memories.map((m) => [m.sourceIdInWindow, m.messageId])).toEqual([
      [4, 'm9'],
      [8, 'm13'],
    ]);
    expect(memories[1]!.messageTimestamp).toBe(seedMessages[13]!.timestamp);
  });

  it('drops memories sourced from overlap messages, with the reason', () => {
    const input = [memory(1), memory(3), memory(4)];
    const { memories, dropped } = normalizeMemories(input, window1);
    expect(memories.map((m) => m.sourceIdInWindow)).toEqual([4]);
    expect(dropped).toEqual([
      {
        memory: input[0],
        reason:
          'source_id 1 is overlap context: messages 1–3 were already extracted in the previous window',
      },
      {
        memory: input[1],
        reason:
          'source_id 3 is overlap context: messages 1–3 were already extracted in the previous window',
      },
    ]);
  });

  it('keeps messages 1–3 of window 0, which has no overlap', () => {
    const { memories, dropped } = normalizeMemories([memory(1), memory(3)], window0!);
    expect(dropped).toEqual([]);
    expect(memories.map((m) => m.messageId)).toEqual(['m0', 'm2']);
  });

  it('drops memories whose source is outside the window', () => {
    const { memories, dropped } = normalizeMemories([memory(9), memory(8)], window1);
    expect(memories.map((m) => m.sourceIdInWindow)).toEqual([8]);
    expect(dropped.map((d) => d.reason)).toEqual([
      "source_id 9 is outside this window's messages 1–8",
    ]);
    expect(normalizeMemories([memory(15)], window0!).dropped.map((d) => d.reason)).toEqual([
      "source_id 15 is outside this window's messages 1–14",
    ]);
  });

  it('drops a memory with no content', () => {
    const { dropped } = normalizeMemories([memory(2, { content: '   ' })], window0!);
    expect(dropped.map((d) => d.reason)).toEqual(['the memory has no content']);
  });

  it('trims the text fields', () => {
    const [normalized] = normalizeMemories(
      [
        memory(2, {
          content: '  The user lives in Rome.\n',
          location: ' Rome ',
          reason: ' work\t',
          purpose: '\nto settle ',
          time: ' 2023-04-24 ',
        }),
      ],
      window0!,
    ).memories;
    expect(normalized).toMatchObject({
      content: 'The user lives in Rome.',
      location: 'Rome',
      reason: 'work',
      purpose: 'to settle',
      time: '2023-04-24',
      timeStart: localTimeFromParts(2023, 4, 24),
    });
  });

  it('dedupes keywords case-insensitively, keeping the first spelling and dropping empty ones', () => {
    const [normalized] = normalizeMemories(
      [memory(2, { keywords: ['Paris', ' paris ', 'Rome', '', 'PARIS', '  ', 'rome', 'Café'] })],
      window0!,
    ).memories;
    expect(normalized!.keywords).toEqual(['Paris', 'Rome', 'Café']);
  });

  it('reads time as a whole-day range and keeps any other text raw', () => {
    const read = (time: string) => {
      const [normalized] = normalizeMemories([memory(2, { time })], window0!).memories;
      return [normalized!.time, normalized!.timeStart, normalized!.timeEnd];
    };
    expect(read('')).toEqual(['', null, null]);
    expect(read('2023-09-01/2023-11-30')).toEqual([
      '2023-09-01/2023-11-30',
      localTimeFromParts(2023, 9, 1),
      localTimeFromParts(2023, 11, 30),
    ]);
    expect(read('spring 2023')).toEqual(['spring 2023', null, null]);
  });

  it('keeps a memory whose time is not a date, and names it in warnings', () => {
    const spring = memory(2, { time: ' spring 2023 ' });
    const reversed = memory(3, { time: '2023-11-30/2023-09-01' });
    const input = [memory(1, { time: '2023-04-24' }), spring, memory(4), reversed];
    const { memories, dropped, warnings } = normalizeMemories(input, window0!);
    expect(dropped).toEqual([]);
    expect(memories.map((m) => m.time)).toEqual([
      '2023-04-24',
      'spring 2023',
      '',
      '2023-11-30/2023-09-01',
    ]);
    // A date and an empty time (no evidence) are fine; the other two are flagged, by object.
    expect(warnings.map((w) => w.memory)).toEqual([spring, reversed]);
    expect(warnings[0]!.reason).toMatch(/"spring 2023" is neither a date .* nor a range/);
  });

  it("gives no warnings for the card's recorded answer, whose times are all dates or empty", () => {
    expect(normalizeMemories(replay.memories, window0!).warnings).toEqual([]);
  });
});

describe('parseMemoryTime', () => {
  it('gives one day for a date and both ends, inclusive, for a range', () => {
    expect(parseMemoryTime('2023-04-24')).toEqual({
      timeStart: localTimeFromParts(2023, 4, 24),
      timeEnd: localTimeFromParts(2023, 4, 24),
    });
    expect(parseMemoryTime('2023-12-30 / 2024-01-02')).toEqual({
      timeStart: localTimeFromParts(2023, 12, 30),
      timeEnd: localTimeFromParts(2024, 1, 2),
    });
  });

  it('refuses what is not a real date or range', () => {
    for (const text of [
      '',
      '2023-02-31',
      '2023-04',
      '2023-04-24T10:00:00',
      '2023-11-30/2023-09-01',
      '2023-09-01/',
      'last week',
    ]) {
      expect(parseMemoryTime(text), text).toBeNull();
    }
  });
});

describe('memoryTimeWarning', () => {
  it('says nothing for a date, a range or no time at all', () => {
    for (const text of ['', '  ', '2023-04-24', '2023-09-01/2023-11-30']) {
      expect(memoryTimeWarning(text), text).toBeNull();
    }
  });

  it('names the time that is not a date, trimmed, and says it is kept as text', () => {
    expect(memoryTimeWarning(' spring 2023 ')).toBe(
      'time "spring 2023" is neither a date (YYYY-MM-DD) nor a range (YYYY-MM-DD/YYYY-MM-DD): kept as text, with no date range',
    );
    expect(memoryTimeWarning('2023-11-30/2023-09-01')).toMatch(/^time "2023-11-30\/2023-09-01"/);
  });

  it('is the reason normalizeMemories gives, so the app and the CLI say the same', () => {
    const spring = memory(2, { time: 'spring 2023' });
    const { warnings } = normalizeMemories([spring], window0!);
    expect(warnings).toEqual([{ memory: spring, reason: memoryTimeWarning('spring 2023') }]);
  });
});
