import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { inspectCommand, type InspectJson } from '../../../../src/cli/commands/inspect';
import type { Conversation, Message } from '../../../../src/core/conversation';
import { titleFromText } from '../../../../src/core/import/conversationBuilder';
import { buildPrompt, truncateContent } from '../../../../src/core/prompt';
import { localTimeFromParts } from '../../../../src/core/time/localTime';
import {
  defaultTokenBudget,
  defaultWindowSettings,
  loadQwen3TokenCounter,
  planWindowsWithinBudget,
  type TokenCounter,
} from '../../../../src/core/windows';
import { toConversationRecord } from '../../../../src/store/conversations/conversationRepository';

/** A 150 MB message: under the import limit, and more code points than an array may hold. */
const hugeLength = 150_000_000;

let dir: string;
let counter: TokenCounter;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-large-'));
  counter = await loadQwen3TokenCounter();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function inspectJson(file: string): Promise<InspectJson> {
  let out = '';
  await inspectCommand.run([file, '--json'], { out: (text) => (out += text), note: () => {} });
  return JSON.parse(out) as InspectJson;
}

describe('many messages', () => {
  it('inspect lists a 130,000-message conversation with its first and last time', async () => {
    const start = localTimeFromParts(2024, 1, 1, 0, 0, 0);
    const lines = Array.from({ length: 130_000 }, (_, i) => {
      const time = new Date(start + i * 1000).toISOString().slice(0, 19);
      return `[${time}, Mon] ${i + 1}.User: note ${i}`;
    });
    const file = path.join(dir, 'many.txt');
    await writeFile(file, `${lines.join('\n')}\n`);
    const json = await inspectJson(file);
    expect(json.conversations).toHaveLength(1);
    const [summary] = json.conversations;
    expect(summary!.userMessages).toBe(130_000);
    expect(summary!.firstTimestamp).toBe('2024-01-01T00:00:00.000');
    expect(summary!.lastTimestamp).toBe('2024-01-02T12:06:39.000');
    // 15 per window, 12 new each after the first.
    expect(summary!.windows).toBe(Math.ceil((130_000 - 15) / 12) + 1);
  }, 120_000);

  it('stores a 200,000-message conversation with its time span', () => {
    const messages: Message[] = Array.from({ length: 200_000 }, (_, i) => ({
      id: `m${i}`,
      role: i % 2 === 0 ? 'user' : 'assistant',
      speaker: i % 2 === 0 ? 'User' : 'Assistant',
      text: 'ok',
      timestamp: 1_000_000 + (i === 7 ? -5 : i),
      sourceRef: String(i),
    }));
    const conversation: Conversation = {
      id: 'c',
      title: 't',
      participants: ['User', 'Assistant'],
      messages,
      format: 'transcript',
      sourceName: 'x',
      sourceRef: 'x',
    };
    const record = toConversationRecord(conversation, 'hash', 0);
    expect(record.firstTimestamp).toBe(1_000_000 - 5);
    expect(record.lastTimestamp).toBe(1_000_000 + 199_999);
  });
});

describe('one huge message', () => {
  const huge = 'a'.repeat(hugeLength / 2) + '😀'.repeat(hugeLength / 4);

  it('is cut to 500 + 200 + 300 code points without copying it whole', () => {
    const cut = truncateContent(huge);
    const length = hugeLength / 2 + hugeLength / 4;
    const middleStart = Math.floor((length - 200) / 2);
    expect(cut).toBe(
      [
        'a'.repeat(500),
        'a'.repeat(Math.min(200, hugeLength / 2 - middleStart)) +
          '😀'.repeat(Math.max(0, middleStart + 200 - hugeLength / 2)),
        '😀'.repeat(300),
      ].join('\n...\n'),
    );
  });

  it('cuts by code points, never splitting an emoji, and keeps lone surrogates as one each', () => {
    const emoji = '😀'.repeat(8001);
    expect(truncateContent(emoji)).toBe(
      ['😀'.repeat(500), '😀'.repeat(200), '😀'.repeat(300)].join('\n...\n'),
    );
    expect(truncateContent('😀'.repeat(8000))).toBe('😀'.repeat(8000));
    const lone = '\ud800'.repeat(8001);
    expect(truncateContent(lone)).toBe(
      ['\ud800'.repeat(500), '\ud800'.repeat(200), '\ud800'.repeat(300)].join('\n...\n'),
    );
  });

  it('gives a title of its first 59 code points', () => {
    expect(titleFromText(huge, 'fallback')).toBe(`${'a'.repeat(59)}…`);
    expect(titleFromText(`${'😀'.repeat(70)}\nsecond line`, 'x')).toBe(`${'😀'.repeat(59)}…`);
    expect(titleFromText('  short title  \nmore', 'x')).toBe('short title');
  });

  it('is planned into one window whose prompt holds its cut', () => {
    const message: Message = {
      id: 'm0',
      role: 'user',
      speaker: 'User',
      text: huge,
      timestamp: localTimeFromParts(2024, 3, 1, 9, 0, 0),
      sourceRef: 'x',
    };
    const windows = planWindowsWithinBudget(
      [message],
      defaultWindowSettings,
      defaultTokenBudget,
      counter,
    );
    expect(windows).toHaveLength(1);
    expect(buildPrompt(windows[0]!)).toContain(`1.User: ${'a'.repeat(500)}\n...\n`);
  }, 60_000);
});
