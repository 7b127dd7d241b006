import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { userMessages, type Message } from '../../../../src/core/conversation';
import { importText } from '../../../../src/core/import';
import {
  buildPrompt,
  cardInstructions,
  formatMessageLine,
  overlapRuleText,
  truncateContent,
} from '../../../../src/core/prompt';
import { localTimeFromParts } from '../../../../src/core/time/localTime';
import { planWindows } from '../../../../src/core/windows';

const fixtures = path.resolve(__dirname, '../../../fixtures');
const readFixture = (relative: string) => readFileSync(path.join(fixtures, relative), 'utf8');

/** The seed conversation's user messages, imported from its DimMem line format. */
function seedMessages(): Message[] {
  const text = readFixture('seed/conversation.txt');
  const [conversation] = importText('conversation.txt', text).conversations;
  return userMessages(conversation!);
}

const userMessage = (
  text: string,
  timestamp = localTimeFromParts(2024, 2, 29, 7, 5, 9),
): Message => ({
  id: 'x1',
  role: 'user',
  speaker: 'User',
  text,
  timestamp,
  sourceRef: 'test',
});

describe('the golden prompts', () => {
  it('embeds the model card instructions byte for byte', () => {
    const file = readFixture('design/prompt-card.txt');
    expect(file.endsWith('\n')).toBe(true);
    expect(cardInstructions).toBe(file.slice(0, -1));
  });

  it('reproduces prompt-window0.txt for window 0 with the default settings', () => {
    const windows = planWindows(seedMessages());
    expect(windows).toHaveLength(1);
    expect(buildPrompt(windows[0]!)).toBe(readFixture('seed/prompt-window0.txt'));
  });

  it('reproduces prompt-window1-overlap3.txt for window 1 of size 9 with overlap 3', () => {
    const windows = planWindows(seedMessages(), { size: 9, overlap: 3 });
    expect(windows).toHaveLength(2);
    expect(buildPrompt(windows[1]!)).toBe(readFixture('seed/prompt-window1-overlap3.txt'));
  });

  it('offers the reference batch extractor form: a role line before, nothing after', () => {
    const [window] = planWindows(seedMessages());
    const reference = buildPrompt(window!, 'reference');
    expect(reference).toBe(
      `You are a structured memory extractor.\n\n${readFixture('seed/prompt-window0.txt')}`,
    );
    expect(reference.startsWith('\n')).toBe(false);
    expect(reference.endsWith('\n')).toBe(false);
  });

  it('checks the window 1 golden is the corrected one (8,302 bytes), so a stale copy cannot slip in', () => {
    const golden = readFileSync(path.join(fixtures, 'seed/prompt-window1-overlap3.txt'));
    expect(golden.byteLength).toBe(8302);
    expect(createHash('md5').update(golden).digest('hex')).toBe('d2c7b59f16172f1c72c81be08be6716e');
  });

  it('numbers lines inside each window, not across the conversation', () => {
    const windows = planWindows(seedMessages(), { size: 9, overlap: 3 });
    const numbers = buildPrompt(windows[1]!)
      .split('\n')
      .filter((line) => line.startsWith('['))
      .map((line) => /\] (\d+)\.User: /.exec(line)?.[1]);
    expect(numbers).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });
});

describe('the overlap rule', () => {
  it('is the design text with K and K+1 filled in, with no newline of its own', () => {
    const block = readFixture('design/overlap-rule.txt').replace(/\n$/, '');
    const expected = block
      .replaceAll('K+1', '6')
      .replaceAll(' K ', ' 5 ')
      .replace('1 to K,', '1 to 5,');
    expect(overlapRuleText(5)).toBe(expected);
    expect(overlapRuleText(5)).toContain('namely messages numbered 1 to 5,');
    expect(overlapRuleText(5)).toContain('starts from message 6.');
  });

  it('stands between one empty line above and one below, only when a window overlaps', () => {
    const messages = seedMessages();
    const overlapping = buildPrompt({ index: 1, messages: messages.slice(0, 4), overlap: 1 });
    expect(overlapping).toContain(
      'outside the JSON.\n\n========================\nInput and Overlap Context Rules',
    );
    expect(overlapping).not.toContain('outside the JSON.\n\n\n');
    expect(overlapping).toContain('starts from message 2.\n\nHere is the real input');
    expect(overlapping).not.toContain('starts from message 2.\n\n\n');
    const first = buildPrompt({ index: 0, messages: messages.slice(0, 4), overlap: 0 });
    expect(first).not.toContain('Overlap Context Rules');
    expect(first).toContain(
      'outside the JSON.\n\n\n\nHere is the real input you need to process:\n\n[',
    );
  });

  it('frames the rule block the same way in every later window of a three-window conversation', () => {
    const messages = seedMessages(); // 14 messages: size 6, overlap 2 → windows at 0, 4, 8
    const windows = planWindows(messages, { size: 6, overlap: 2 });
    expect(windows.map((window) => window.overlap)).toEqual([0, 2, 2]);
    for (const window of windows.slice(1)) {
      const prompt = buildPrompt(window);
      const start = prompt.indexOf('========================\nInput and Overlap Context Rules');
      const end = prompt.indexOf('starts from message 3.') + 'starts from message 3.'.length;
      // Exactly one empty line above the block and one below it.
      expect(prompt.slice(start - 7, start)).toBe('JSON.\n\n');
      expect(prompt.slice(start - 8, start - 7)).not.toBe('\n');
      expect(prompt.slice(end, end + 14)).toBe('\n\nHere is the ');
      expect(prompt.split('Overlap Context Rules')).toHaveLength(2);
      // The rest of the prompt is the overlap-free form with the block taken out.
      const withoutBlock = prompt.slice(0, start) + prompt.slice(end + 2);
      expect(withoutBlock).toBe(
        buildPrompt({ ...window, overlap: 0 }).replace('JSON.\n\n\n\n', 'JSON.\n\n'),
      );
    }
  });

  it('rejects a window that is only overlap', () => {
    const messages = seedMessages().slice(0, 3);
    expect(() => buildPrompt({ index: 1, messages, overlap: 3 })).toThrow(/overlap must be 0–2/);
  });
});

describe('message lines', () => {
  it('writes Python isoformat times: six fraction digits only when non-zero', () => {
    expect(formatMessageLine(userMessage('hi'), 1)).toBe('[2024-02-29T07:05:09, Thu] 1.User: hi');
    const half = userMessage('hi', localTimeFromParts(2023, 5, 20, 9, 30, 0, 500));
    expect(formatMessageLine(half, 2)).toBe('[2023-05-20T09:30:00.500000, Sat] 2.User: hi');
    const odd = userMessage('hi', localTimeFromParts(1999, 12, 31, 23, 59, 59, 7));
    expect(formatMessageLine(odd, 3)).toBe('[1999-12-31T23:59:59.007000, Fri] 3.User: hi');
  });

  it('strips surrounding whitespace but keeps inner line breaks', () => {
    expect(formatMessageLine(userMessage('  \n first\nsecond \t\n'), 4)).toBe(
      '[2024-02-29T07:05:09, Thu] 4.User: first\nsecond',
    );
  });

  it('refuses a message without a timestamp with a clear error', () => {
    expect(() => formatMessageLine({ ...userMessage('hi'), timestamp: null }, 1)).toThrow(
      /x1 has no timestamp/,
    );
  });
});

describe('long messages', () => {
  // Astral-plane characters: one code point each, but two UTF-16 units.
  const astral = (count: number) =>
    Array.from({ length: count }, (_, i) => String.fromCodePoint(0x20000 + i));

  it('keeps a content of exactly 8000 code points whole, even at 16000 UTF-16 units', () => {
    const text = astral(8000).join('');
    expect(text.length).toBe(16000);
    expect(truncateContent(text)).toBe(text);
  });

  it('cuts a longer content to first 500, middle 200, last 300, counting code points', () => {
    const chars = astral(9001);
    const cut = truncateContent(chars.join(''));
    const middleStart = Math.floor((9001 - 200) / 2);
    expect(cut).toBe(
      [
        chars.slice(0, 500).join(''),
        chars.slice(middleStart, middleStart + 200).join(''),
        chars.slice(9001 - 300).join(''),
      ].join('\n...\n'),
    );
    expect(Array.from(cut)).toHaveLength(500 + 200 + 300 + 2 * 5);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('cuts emoji text on code points in the prompt line', () => {
    const text = '😀'.repeat(4000) + 'middle' + '🎉'.repeat(4000);
    const line = formatMessageLine(userMessage(text), 1);
    const content = line.slice(line.indexOf('1.User: ') + '1.User: '.length);
    const [head, middle, tail] = content.split('\n...\n');
    expect(Array.from(head!)).toEqual(Array(500).fill('😀'));
    expect(middle).toBe('😀'.repeat(97) + 'middle' + '🎉'.repeat(97));
    expect(Array.from(tail!)).toEqual(Array(300).fill('🎉'));
  });
});
