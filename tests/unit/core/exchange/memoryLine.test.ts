import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import type { MemoryLineProvenance } from '../../../../src/core/exchange/memoryLine';
import {
  formatMemoryLine,
  MemoryLineError,
  memoryLineSchema,
  parseMemoryLine,
} from '../../../../src/core/exchange/memoryLine';
import type { ExtractedMemory } from '../../../../src/core/memory';
import { localTimeFromParts } from '../../../../src/core/time/localTime';

const memory: ExtractedMemory = {
  messageId: 'm6',
  messageText: 'recently tried a Spaghetti Carbonara at Bella Vita',
  messageTimestamp: localTimeFromParts(2023, 4, 27, 13, 38, 0, 500),
  sourceIdInWindow: 7,
  content: 'The user recently tried Spaghetti Carbonara at Bella Vita.',
  memoryType: 'episodic',
  time: '2023-04-01/2023-04-27',
  timeStart: localTimeFromParts(2023, 4, 1),
  timeEnd: localTimeFromParts(2023, 4, 27),
  location: 'Bella Vita',
  reason: 'craving Italian food',
  purpose: '',
  keywords: ['Italian food', 'Spaghetti Carbonara'],
};

/** Everything the app knows about a stored memory. */
const appProvenance: MemoryLineProvenance = {
  id: 'run-a1:0:4',
  conversationId: 'dimmem:1bd31aeebd15c3',
  conversationTitle: 'Trip to Paris and Rome',
  sourceName: 'conversation.txt',
  runId: 'run-a1',
  windowIndex: 0,
  model: 'DimMem-4B-q4f16_1-MLC',
  origin: 'recorded',
  edited: true,
  createdAt: Date.UTC(2025, 5, 1, 10, 0, 0, 250),
};

/** What the CLI knows: no run, no creation time, but the memory's position in its window. */
const cliProvenance: MemoryLineProvenance = {
  id: 'mem-fe483621a341addb4f3a',
  conversationId: 'dimmem:1bd31aeebd15c3',
  conversationTitle: 'Trip to Paris and Rome',
  sourceName: 'conversation.txt',
  windowIndex: 0,
  indexInWindow: 4,
  model: 'wtqiu/DimMem-4B-Longmemeval',
};

/** Only consolidation writes the version history (see the version 2 tests below). */
const historyKeys = [
  'mergedFrom',
  'supersededBy',
  'validUntil',
  'decision',
  'decidedBy',
  'decisionReasoning',
];
const schemaKeys = Object.keys(memoryLineSchema.shape).filter((key) => !historyKeys.includes(key));
const exactLine = z.strictObject(memoryLineSchema.shape);

describe('writing a memory line', () => {
  it('writes the fields the writer knows, in the schema’s order, as the schema describes', () => {
    const appLine = JSON.parse(formatMemoryLine(memory, appProvenance)) as object;
    expect(Object.keys(appLine)).toEqual(schemaKeys.filter((key) => key !== 'indexInWindow'));
    expect(exactLine.safeParse(appLine).success).toBe(true);

    const cliLine = JSON.parse(formatMemoryLine(memory, cliProvenance)) as object;
    const appOnly = ['runId', 'origin', 'edited', 'createdAt'];
    expect(Object.keys(cliLine)).toEqual(schemaKeys.filter((key) => !appOnly.includes(key)));
    expect(exactLine.safeParse(cliLine).success).toBe(true);
  });

  it('writes times as the model reads them: Python isoformat for the message, days for the range', () => {
    expect(JSON.parse(formatMemoryLine(memory, appProvenance))).toMatchObject({
      version: 1,
      messageTimestamp: '2023-04-27T13:38:00.500000',
      timeStart: '2023-04-01',
      timeEnd: '2023-04-27',
      createdAt: '2025-06-01T10:00:00.250Z',
    });
    const onTheSecond = { ...memory, messageTimestamp: localTimeFromParts(2023, 4, 27, 13, 38) };
    const undated = { ...onTheSecond, time: '', timeStart: null, timeEnd: null };
    expect(JSON.parse(formatMemoryLine(undated, cliProvenance))).toMatchObject({
      messageTimestamp: '2023-04-27T13:38:00',
      timeStart: null,
      timeEnd: null,
    });
  });
});

describe('a line with a version history (version 2)', () => {
  const history: MemoryLineProvenance = {
    ...cliProvenance,
    mergedFrom: ['mem-older', 'mem-newer'],
    supersededBy: 'consolidated-abc',
    validUntil: localTimeFromParts(2023, 5, 2),
  };

  it('is written as version 2, so a version 1 reader refuses it instead of showing it as current', () => {
    const line = JSON.parse(formatMemoryLine(memory, history)) as Record<string, unknown>;
    expect(line).toMatchObject({
      version: 2,
      mergedFrom: ['mem-older', 'mem-newer'],
      supersededBy: 'consolidated-abc',
      validUntil: '2023-05-02T00:00:00',
    });
    expect(Object.keys(line).slice(-3)).toEqual(['mergedFrom', 'supersededBy', 'validUntil']);
    expect(exactLine.safeParse(line).success).toBe(true);
    // A line without a history stays version 1: older readers read it as before.
    expect(JSON.parse(formatMemoryLine(memory, cliProvenance))).toMatchObject({ version: 1 });
  });

  it('reads back the history exactly', () => {
    const { provenance } = parseMemoryLine(formatMemoryLine(memory, history));
    expect(provenance).toEqual({ ...history, origin: 'extracted', edited: false });
  });

  const decided: MemoryLineProvenance = {
    ...cliProvenance,
    id: 'consolidated-0f2c9a4b7d1e35',
    mergedFrom: ['mem-berlin-1', 'mem-lisbon'],
    decision: 'SUPERSEDE',
    decidedBy: 'Qwen/Qwen3-4B at http://127.0.0.1:8000/v1',
    decisionReasoning: 'Same fact with a new value; the newer memory wins.',
  };

  it('labels a consolidated memory with its decision, who decided and why, last, as version 2', () => {
    const line = JSON.parse(formatMemoryLine(memory, decided)) as Record<string, unknown>;
    expect(line.version).toBe(2);
    expect(Object.keys(line).slice(-4)).toEqual([
      'mergedFrom',
      'decision',
      'decidedBy',
      'decisionReasoning',
    ]);
    expect(exactLine.safeParse(line).success).toBe(true);
    // The decision alone (a line written by hand) is history too: never a version 1 line.
    const byRule = { ...cliProvenance, decidedBy: 'rule: exact duplicate' };
    expect(JSON.parse(formatMemoryLine(memory, byRule))).toMatchObject({ version: 2 });
    const { provenance } = parseMemoryLine(formatMemoryLine(memory, decided));
    expect(provenance).toEqual({ ...decided, origin: 'extracted', edited: false });
  });

  it('refuses a decision that makes no memory, or a label that is not text', () => {
    const line = JSON.parse(formatMemoryLine(memory, decided)) as Record<string, unknown>;
    const read = (change: Record<string, unknown>) => () =>
      parseMemoryLine(JSON.stringify({ ...line, ...change }));
    expect(read({ decision: 'KEEP_BOTH' })).toThrow(/^decision: expected one of MERGE\|SUPERSEDE/);
    expect(read({ decision: 'merge' })).toThrow(MemoryLineError);
    expect(read({ decidedBy: 42 })).toThrow(/^decidedBy: /);
    expect(read({ decisionReasoning: ['why'] })).toThrow(/^decisionReasoning: /);
  });
});

describe('reading a memory line', () => {
  it('reads back exactly what was written: the memory and where it came from', () => {
    expect(parseMemoryLine(formatMemoryLine(memory, appProvenance))).toEqual({
      memory,
      provenance: appProvenance,
    });
    const { memory: read, provenance } = parseMemoryLine(formatMemoryLine(memory, cliProvenance));
    expect(read).toEqual(memory);
    // A line without origin or edited flag is an extracted memory nobody edited.
    expect(provenance).toEqual({ ...cliProvenance, origin: 'extracted', edited: false });
  });

  it('needs only the memory itself, and takes the time range from `time` when the line has none', () => {
    const minimal = {
      conversationId: 'locomo:abc:Caroline',
      messageId: 'm12',
      messageText: 'I went to the LGBTQ support group yesterday',
      messageTimestamp: '2023-05-08 13:56',
      content: 'Caroline attended an LGBTQ support group.',
      memoryType: 'episodic',
      time: '2023-05-07',
      location: '',
      reason: '',
      purpose: '',
      keywords: ['support group'],
      note: 'unknown fields are ignored',
    };
    const { memory: read, provenance } = parseMemoryLine(JSON.stringify(minimal));
    expect(read).toMatchObject({
      messageTimestamp: Date.UTC(2023, 4, 8, 13, 56),
      sourceIdInWindow: 0,
      timeStart: Date.UTC(2023, 4, 7),
      timeEnd: Date.UTC(2023, 4, 7),
    });
    expect(provenance).toEqual({
      id: undefined,
      conversationId: 'locomo:abc:Caroline',
      conversationTitle: undefined,
      sourceName: undefined,
      runId: undefined,
      windowIndex: 0,
      indexInWindow: undefined,
      model: undefined,
      origin: 'extracted',
      edited: false,
      createdAt: undefined,
    });
  });

  it('reads the app’s JSONL export as written before the CLI and the app shared one shape', () => {
    // Verbatim from the earlier export: no version, `modelId`, millisecond times, title last.
    const earlier =
      '{"id":"run-a1:0:4","conversationId":"dimmem:1bd31aeebd15c3","runId":"run-a1","windowIndex":0,"modelId":"DimMem-4B-q4f16_1-MLC","origin":"recorded","edited":true,"createdAt":"2025-06-01T10:00:00.250Z","messageId":"m6","messageText":"recently tried a Spaghetti Carbonara at Bella Vita","messageTimestamp":"2023-04-27T13:38:00.500","sourceIdInWindow":7,"content":"The user recently tried Spaghetti Carbonara at Bella Vita.","memoryType":"episodic","time":"2023-04-01/2023-04-27","timeStart":"2023-04-01T00:00:00.000","timeEnd":"2023-04-27T00:00:00.000","location":"Bella Vita","reason":"craving Italian food","purpose":"","keywords":["Italian food","Spaghetti Carbonara"],"conversationTitle":"Trip to Paris and Rome"}';
    expect(parseMemoryLine(earlier)).toEqual({
      memory,
      provenance: { ...appProvenance, sourceName: undefined },
    });
  });

  it('reads a date-time in timeStart or timeEnd as its day: ranges are whole days', () => {
    const line = JSON.parse(formatMemoryLine(memory, appProvenance)) as Record<string, unknown>;
    const read = parseMemoryLine(JSON.stringify({ ...line, timeEnd: '2023-04-27T18:30:00' }));
    expect(read.memory.timeEnd).toBe(localTimeFromParts(2023, 4, 27));
  });

  it('rejects a line that is not a memory, saying what is wrong', () => {
    const line = JSON.parse(formatMemoryLine(memory, appProvenance)) as Record<string, unknown>;
    const { content: _content, ...withoutContent } = line;
    const reasonFor = (text: string): string => {
      try {
        parseMemoryLine(text);
      } catch (error) {
        expect(error).toBeInstanceOf(MemoryLineError);
        return (error as MemoryLineError).message;
      }
      throw new Error(`read without complaint: ${text}`);
    };
    const variant = (change: Record<string, unknown>) => JSON.stringify({ ...line, ...change });

    expect(reasonFor('{"conversationId": "c1", "messageId"')).toMatch(/^not JSON \(.+\)$/);
    expect(reasonFor('[1, 2]')).toBe('expected a JSON object (one memory), got an array');
    expect(reasonFor('"a memory"')).toBe('expected a JSON object (one memory), got "a memory"');
    expect(reasonFor(JSON.stringify(withoutContent))).toBe('content: missing (expected a string)');
    expect(reasonFor(variant({ memoryType: 'opinion' }))).toBe(
      'memoryType: expected one of fact|episodic|profile, got "opinion"',
    );
    expect(reasonFor(variant({ messageTimestamp: '2023-04-27T13:38:00Z' }))).toBe(
      'messageTimestamp: expected a naive ISO date-time such as 2023-04-23T08:57:01, got "2023-04-27T13:38:00Z"',
    );
    expect(reasonFor(variant({ version: 3 }))).toBe('version: expected one of 1|2, got 3');
    expect(reasonFor(variant({ mergedFrom: ['run-a1:0:4'] }))).toMatch(/^mergedFrom: /);
    expect(reasonFor(variant({ keywords: 'pasta', windowIndex: -1 }))).toBe(
      'windowIndex: must be ≥ 0, got -1; keywords: expected an array, got "pasta"',
    );
  });
});
