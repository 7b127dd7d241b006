import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  extractedMemoryId,
  extractedMemoryLine,
} from '../../../src/cli/extract/extractedMemoryLine';
import { userMessages } from '../../../src/core/conversation';
import { importText } from '../../../src/core/import';
import { normalizeMemories, parseAnswer } from '../../../src/core/parse';
import { planWindows } from '../../../src/core/windows';
import { memoriesToJsonl, parseMemoriesJsonl } from '../../../src/store/exchange/jsonl';
import { toExtractedMemory } from '../../../src/store/db/records';

const seedDir = resolve(__dirname, '../../fixtures/seed');
const model = 'DimMem-4B-q4f16_1-MLC';

/**
 * The fifth memory of the seed window as `extract` wrote it before the CLI and the app shared one
 * line format (src/core/exchange/memoryLine.ts), verbatim: the CLI's output has not changed.
 */
const writtenByEarlierCli =
  '{"version":1,"id":"mem-fe483621a341addb4f3a","conversationId":"dimmem:1bd31aeebd15c3","conversationTitle":"interested in seeing a Broadway - style show in both cities…","sourceName":"conversation.txt","windowIndex":0,"indexInWindow":4,"messageId":"m6","messageText":"\' looking for inspiration for my next pasta dish been craving Italian food a lot lately recently tried a Spaghetti Carbonara at Bella Vita amazing. also been experimenting with different pasta recipes at home, like quick and easy dinner made last Thursday using fettuccine and arrabbiata sauce. any recommendations for other pasta dishes I could try","messageTimestamp":"2023-04-27T13:38:00","sourceIdInWindow":7,"content":"The user has been craving Italian food lately and recently tried Spaghetti Carbonara at Bella Vita, which the user found amazing.","memoryType":"episodic","time":"2023-04-27","timeStart":"2023-04-27","timeEnd":"2023-04-27","location":"Bella Vita","reason":"","purpose":"","keywords":["Italian food","Spaghetti Carbonara","Bella Vita"],"model":"wtqiu/DimMem-4B-Longmemeval"}';

/** The CLI's JSONL (issue 7) must import into the app as the same memories. */
describe('memories written by the CLI import into the app', () => {
  const conversation = importText(
    'conversation.txt',
    readFileSync(resolve(seedDir, 'conversation.txt'), 'utf8'),
  ).conversations[0]!;
  const [window] = planWindows(userMessages(conversation));
  const answer = parseAnswer(readFileSync(resolve(seedDir, 'replay-window0.json'), 'utf8'));
  const { memories } = normalizeMemories(answer.memories, window!);
  const cliLines = memories.map((memory, index) =>
    extractedMemoryLine(memory, conversation, 0, index, model),
  );
  const jsonl = cliLines.join('\n');

  it('writes the same bytes as the CLI did before the line format was shared', () => {
    const line = extractedMemoryLine(
      memories[4]!,
      conversation,
      0,
      4,
      'wtqiu/DimMem-4B-Longmemeval',
    );
    expect(line).toBe(writtenByEarlierCli);
  });

  it('reads every line with all its fields: the memory, its model, conversation and window', () => {
    const importedAt = Date.UTC(2026, 0, 1);
    const read = parseMemoriesJsonl(jsonl, importedAt);
    expect(read.errors).toEqual([]);
    expect(read.memories).toHaveLength(16);
    read.memories.forEach((imported, index) => {
      // Every field of the normalized memory, times and parsed range included.
      expect(toExtractedMemory(imported)).toEqual(memories[index]);
      expect(imported).toMatchObject({
        id: extractedMemoryId(conversation.id, 0, index, memories[index]!.content),
        conversationId: conversation.id,
        runId: 'imported',
        windowIndex: 0,
        modelId: model,
        origin: 'extracted',
        edited: false,
        createdAt: importedAt,
      });
    });
    expect(read.memories.some((imported) => imported.timeStart !== null)).toBe(true);
  });

  it('keeps the ids the CLI gave, so importing the file twice does not duplicate', () => {
    const first = parseMemoriesJsonl(jsonl, 1).memories.map((memory) => memory.id);
    const second = parseMemoriesJsonl(jsonl, 2).memories.map((memory) => memory.id);
    expect(new Set(first).size).toBe(16);
    expect(second).toEqual(first);
  });

  it('exports them again in the same line format, adding only what the app knows', () => {
    const imported = parseMemoriesJsonl(jsonl, 7).memories;
    const conversations = new Map([[conversation.id, conversation]]);
    const exported = memoriesToJsonl(imported, conversations).trimEnd().split('\n');
    exported.forEach((text, index) => {
      const fromApp = JSON.parse(text) as Record<string, unknown>;
      const fromCli = JSON.parse(cliLines[index]!) as Record<string, unknown>;
      // The app does not keep a memory's position in its window; everything else is the same.
      const { indexInWindow: _position, ...shared } = fromCli;
      expect(fromApp).toEqual({
        ...shared,
        runId: 'imported',
        origin: 'extracted',
        edited: false,
        createdAt: new Date(7).toISOString(),
      });
    });
    expect(parseMemoriesJsonl(exported.join('\n'), 8).memories).toEqual(imported);
  });
});
