import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { userMessages } from '../../../../src/core/conversation';
import { importText } from '../../../../src/core/import';
import { buildPrompt } from '../../../../src/core/prompt';
import { planWindows } from '../../../../src/core/windows';
import { EngineError } from '../../../../src/engine/errors/engineError';
import { createReplayEngine } from '../../../../src/engine/replay/replayEngine';
import { seedRecordings } from '../../../../src/engine/replay/seedRecordings';
import { splitIntoTokens } from '../../../../src/engine/replay/splitIntoTokens';

const root = path.resolve(__dirname, '../../../..');
const conversationText = readFileSync(
  path.join(root, 'public/examples/seed-conversation.txt'),
  'utf8',
);
const answer = readFileSync(path.join(root, 'public/examples/seed-replay-window0.json'), 'utf8');
const goldenPrompt = readFileSync(
  path.resolve(root, 'tests/fixtures/seed/prompt-window0.txt'),
  'utf8',
);

function windowPrompt(index: number, size = 15, overlap = 3): string {
  const conversation = importText('seed-conversation.txt', conversationText).conversations[0];
  if (!conversation) throw new Error('no conversation');
  const window = planWindows(userMessages(conversation), { size, overlap })[index];
  if (!window) throw new Error('no window');
  return buildPrompt(window);
}

async function loaded(tokensPerSecond = Infinity) {
  const sleeps: number[] = [];
  const engine = createReplayEngine(seedRecordings(conversationText, [answer]), {
    tokensPerSecond,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  await engine.load('', () => {});
  return { engine, sleeps };
}

describe('replay engine', () => {
  it('keys the seed recording by the exact prompt a run builds for window 0', () => {
    const recordings = seedRecordings(conversationText, [answer]);
    expect([...recordings.keys()]).toEqual([goldenPrompt]);
  });

  it('streams the recorded answer token by token and ends with it exactly', async () => {
    const { engine } = await loaded();
    const seen: string[] = [];
    const result = await engine.extract(windowPrompt(0), {
      maxTokens: 8000,
      onText: (t) => seen.push(t),
    });
    expect(engine.kind).toBe('replay');
    expect(engine.modelId).toBe('DimMem-4B (recorded answers)');
    expect(result.text).toBe(answer);
    expect(result.finishReason).toBe('stop');
    expect(seen.length).toBe(splitIntoTokens(answer).length);
    expect(seen.length).toBeGreaterThan(500);
    expect(seen.every((text, i) => i === 0 || text.startsWith(seen[i - 1] ?? ''))).toBe(true);
    expect(result.usage.completionTokens).toBe(seen.length);
  });

  it('paces tokens at the configured speed', async () => {
    const { engine, sleeps } = await loaded(40);
    await engine.extract(windowPrompt(0), { maxTokens: 3 });
    expect(sleeps).toEqual([25, 25, 25]);
  });

  it('fails a window with no recording instead of inventing an answer', async () => {
    const { engine } = await loaded();
    const other = windowPrompt(1, 9, 3);
    const failure = await engine
      .extract(other, { maxTokens: 8000 })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe('no-recording');
    expect((failure as EngineError).advice).toMatch(/recorded/);
  });

  it('stops at maxTokens with finish reason "length"', async () => {
    const { engine } = await loaded();
    const result = await engine.extract(windowPrompt(0), { maxTokens: 10 });
    expect(result.finishReason).toBe('length');
    expect(result.text).toBe(splitIntoTokens(answer).slice(0, 10).join(''));
  });

  it('stops when aborted and says so', async () => {
    const { engine } = await loaded();
    const controller = new AbortController();
    const result = await engine.extract(windowPrompt(0), {
      maxTokens: 8000,
      signal: controller.signal,
      onText: (text) => {
        if (text.length > 100) controller.abort();
      },
    });
    expect(result.finishReason).toBe('abort');
    expect(result.text.length).toBeGreaterThan(100);
    expect(result.text.length).toBeLessThan(answer.length);
    expect(answer.startsWith(result.text)).toBe(true);
  });

  it('splits text into pieces that join back to the same text', () => {
    const text = '{"a": "Café 2023-04-24, naïve 😀"}\n  ';
    expect(splitIntoTokens(text).join('')).toBe(text);
  });
});
