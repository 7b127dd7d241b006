import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { toMemoryRecord } from '../../src/cli/extract/memoryRecord';
import { userMessages } from '../../src/core/conversation';
import { importText } from '../../src/core/import';
import { normalizeMemories, parseAnswer } from '../../src/core/parse';
import { planWindows } from '../../src/core/windows';
import { parseMemoriesJsonl } from '../../src/store/exchange/jsonl';

const seedDir = resolve(__dirname, '../../../shared/data/seed-example');

/** The CLI's JSONL (issue 7) must import into the app as the same memories. */
describe('memories written by the CLI import into the app', () => {
  const conversation = importText(
    'conversation.txt',
    readFileSync(resolve(seedDir, 'conversation.txt'), 'utf8'),
  ).conversations[0]!;
  const [window] = planWindows(userMessages(conversation));
  const answer = parseAnswer(readFileSync(resolve(seedDir, 'replay-window0.json'), 'utf8'));
  const { memories } = normalizeMemories(answer.memories, window!);
  const jsonl = memories
    .map((memory, index) =>
      JSON.stringify(toMemoryRecord(memory, conversation, 0, index, 'DimMem-4B-q4f16_1-MLC')),
    )
    .join('\n');

  it('reads every line with its model, message and parsed time range', () => {
    const read = parseMemoriesJsonl(jsonl, Date.UTC(2026, 0, 1));
    expect(read.errors).toEqual([]);
    expect(read.memories).toHaveLength(16);
    read.memories.forEach((imported, index) => {
      const original = memories[index]!;
      expect(imported.modelId).toBe('DimMem-4B-q4f16_1-MLC');
      expect(imported.conversationId).toBe(conversation.id);
      expect(imported.messageId).toBe(original.messageId);
      expect(imported.messageTimestamp).toBe(original.messageTimestamp);
      expect(imported.content).toBe(original.content);
      expect(imported.memoryType).toBe(original.memoryType);
      expect(imported.timeStart).toBe(original.timeStart);
      expect(imported.timeEnd).toBe(original.timeEnd);
      expect(imported.keywords).toEqual(original.keywords);
    });
  });

  it('keeps the ids the CLI gave, so importing the file twice does not duplicate', () => {
    const first = parseMemoriesJsonl(jsonl, 1).memories.map((memory) => memory.id);
    const second = parseMemoriesJsonl(jsonl, 2).memories.map((memory) => memory.id);
    expect(new Set(first).size).toBe(16);
    expect(second).toEqual(first);
  });
});
