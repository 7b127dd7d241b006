import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { parseAnswer, StreamingAnswerParser } from '../../../../src/core/parse';
import type { AnswerMemory } from '../../../../src/core/schema/answer';

const replayText = readFileSync(
  path.resolve(__dirname, '../../../fixtures/seed/replay-window0.json'),
  'utf8',
);
const replayMemories = (JSON.parse(replayText) as { memories: AnswerMemory[] }).memories;
const compactText = JSON.stringify({ memories: replayMemories });

/** Offsets just past each memory's closing brace in the pretty file (memories sit at indent 4). */
const prettyMemoryEnds = [...replayText.matchAll(/\n {4}\}/g)].map((m) => m.index + m[0].length);

/** The same for the compact form, from the lengths of the pieces it is made of. */
const compactMemoryEnds = replayMemories.map(
  (_, k) =>
    '{"memories":['.length +
    replayMemories.slice(0, k + 1).reduce((sum, m) => sum + JSON.stringify(m).length, 0) +
    k,
);

/** Pushes the text in chunks; returns what each push yielded, with the length pushed so far. */
function stream(text: string, chunkSizes: (step: number) => number) {
  const parser = new StreamingAnswerParser();
  const pushes: { length: number; yielded: AnswerMemory[] }[] = [];
  let length = 0;
  for (let step = 0; length < text.length; step += 1) {
    length = Math.min(text.length, length + chunkSizes(step));
    pushes.push({ length, yielded: parser.push(text.slice(0, length)) });
  }
  return { parser, pushes };
}

/** A memory object as the model writes it, for answers the card does not cover. */
const memoryJson = (sourceId: number, content: string, extra = ''): string =>
  `{"source_id": ${sourceId}, "content": ${JSON.stringify(content)}, "dimension": {"memory_type": "fact", "time": "", "location": "", "reason": "", "purpose": "", "keywords": ["k"]${extra}}}`;

describe('parseAnswer on a complete answer', () => {
  it("reads the card's recorded answer: 16 valid memories, complete", () => {
    expect(prettyMemoryEnds).toHaveLength(16);
    const parsed = parseAnswer(replayText);
    expect(parsed).toEqual({ memories: replayMemories, rejected: [], complete: true });
  });

  it('reads the compact form the same way', () => {
    expect(parseAnswer(compactText)).toEqual({
      memories: replayMemories,
      rejected: [],
      complete: true,
    });
  });

  it('accepts an answer with no memories', () => {
    expect(parseAnswer('{"memories": []}')).toEqual({ memories: [], rejected: [], complete: true });
  });

  it('strips a code fence', () => {
    const parsed = parseAnswer('```json\n' + replayText + '```\n');
    expect(parsed.memories).toEqual(replayMemories);
    expect(parsed.complete).toBe(true);
    expect(parsed.error).toBeUndefined();
  });

  it('skips a think block, even one with braces in it, and prose before the JSON', () => {
    const thought =
      '<think>\nThe user wrote {"memories": [] } earlier; keep {braces} out.\n</think>\n\n';
    expect(parseAnswer(thought + replayText).memories).toEqual(replayMemories);
    expect(parseAnswer('Here is the JSON:\n' + compactText).memories).toEqual(replayMemories);
    expect(
      parseAnswer('<think>\n\n</think>\n\n```json\n' + compactText + '\n```').memories,
    ).toEqual(replayMemories);
  });

  it('keeps strings with escaped quotes, backslashes and braces intact', () => {
    const tricky = 'She said "}{][" \\ and {"source_id": 9} then left}';
    const text = `{"memories": [${memoryJson(2, tricky)}, ${memoryJson(3, 'plain')}]}`;
    const parsed = parseAnswer(text);
    expect(parsed.memories.map((m) => [m.source_id, m.content])).toEqual([
      [2, tricky],
      [3, 'plain'],
    ]);
    expect(parsed.complete).toBe(true);
  });

  it('keeps an invalid memory aside with the reason and keeps the others', () => {
    const text = replayText.replace('"memory_type": "fact"', '"memory_type": "feeling"');
    const parsed = parseAnswer(text);
    expect(parsed.memories).toHaveLength(15);
    expect(parsed.memories).not.toContainEqual(replayMemories[8]);
    expect(parsed.rejected).toEqual([
      {
        raw: {
          ...replayMemories[8],
          dimension: { ...replayMemories[8]!.dimension, memory_type: 'feeling' },
        },
        reason:
          'memories[8].dimension.memory_type: expected one of fact|episodic|profile, got "feeling"',
      },
    ]);
    expect(parsed.complete).toBe(true);
  });

  it('rejects elements that are not memory objects, naming their place', () => {
    const text = `{"memories": [${memoryJson(1, 'a')}, 42, "note", ${memoryJson(0, 'b')}, [1, 2]]}`;
    const parsed = parseAnswer(text);
    expect(parsed.memories.map((m) => m.content)).toEqual(['a']);
    expect(parsed.rejected.map((r) => r.reason)).toEqual([
      'memories[1]: expected an object, got 42',
      'memories[2]: expected an object, got "note"',
      'memories[3].source_id: must be ≥ 1, got 0',
      'memories[4]: expected an object, got an array',
    ]);
  });

  it('repairs JSON syntax slips in a memory (as an unconstrained model writes them)', () => {
    const sloppy = `{'source_id': 4, 'content': 'single quotes', 'dimension': {'memory_type': 'profile', 'time': '', 'location': '', 'reason': '', 'purpose': '', 'keywords': ['a', 'b',],},}`;
    const parsed = parseAnswer(`{"memories": [${sloppy}]}`);
    expect(parsed.memories).toEqual([
      {
        source_id: 4,
        content: 'single quotes',
        dimension: {
          memory_type: 'profile',
          time: '',
          location: '',
          reason: '',
          purpose: '',
          keywords: ['a', 'b'],
        },
      },
    ]);
  });

  it('says what is wrong with the outer shape without losing valid memories', () => {
    const extraKey = parseAnswer(`{"memories": [${memoryJson(1, 'a')}], "summary": "x"}`);
    expect(extraKey.memories).toHaveLength(1);
    expect(extraKey.complete).toBe(true);
    expect(extraKey.error).toBe(
      'The answer has the wrong shape: (answer): unexpected key "summary"',
    );

    const noMemories = parseAnswer('{"items": []}');
    expect(noMemories.memories).toEqual([]);
    expect(noMemories.error).toBe(
      'The answer has the wrong shape: memories: missing (expected an array); (answer): unexpected key "items"',
    );
  });

  it('explains an answer with no JSON at all', () => {
    expect(parseAnswer('')).toEqual({
      memories: [],
      rejected: [],
      complete: false,
      error: 'The answer is empty.',
    });
    expect(parseAnswer('I cannot help with that.').error).toBe('The answer holds no JSON object.');
    expect(parseAnswer('<think>\nLet me see {').error).toBe(
      'The answer ended inside a <think> block, before any JSON.',
    );
  });
});

describe('parseAnswer on a truncated answer', () => {
  it.each([100, 1500, 3000, 5000, 7000, replayText.length - 10])(
    'cut at %i characters keeps the memories completed before the cut',
    (cut) => {
      const parsed = parseAnswer(replayText.slice(0, cut));
      const completeBefore = prettyMemoryEnds.filter((end) => end <= cut).length;
      expect(parsed.memories).toEqual(replayMemories.slice(0, completeBefore));
      expect(parsed.complete).toBe(false);
      expect(parsed.error).toMatch(
        /^The answer was cut off before its JSON ended; \d+ complete memor/,
      );
    },
  );

  it('shows what it had of the memory it was cut inside', () => {
    const fifth = replayMemories[5]!;
    const cut = replayText.indexOf(fifth.content) + 20;
    const parsed = parseAnswer(replayText.slice(0, cut));
    expect(parsed.memories).toHaveLength(5);
    expect(parsed.rejected).toEqual([
      {
        raw: { source_id: fifth.source_id, content: fifth.content.slice(0, 20) },
        reason: 'memories[5]: cut off, the answer ended inside this memory',
      },
    ]);
    expect(parsed.error).toBe(
      'The answer was cut off before its JSON ended; 5 complete memories kept.',
    );
  });

  it('keeps a memory whose closing brace arrived, even when the answer stops right there', () => {
    const parsed = parseAnswer(replayText.slice(0, prettyMemoryEnds[2]));
    expect(parsed.memories).toEqual(replayMemories.slice(0, 3));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.complete).toBe(false);
  });
});

describe('StreamingAnswerParser', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['pretty', replayText, prettyMemoryEnds],
    ['compact', compactText, compactMemoryEnds],
  ])(
    'yields each memory of the %s answer exactly once, as soon as its closing brace arrives (1-char pushes)',
    (_form, text, ends) => {
      const { parser, pushes } = stream(text, () => 1);
      let yielded = 0;
      for (const push of pushes) {
        yielded += push.yielded.length;
        expect(yielded).toBe(ends.filter((end) => end <= push.length).length);
      }
      expect(pushes.flatMap((push) => push.yielded)).toEqual(replayMemories);
      expect(parser.finish()).toEqual({ memories: replayMemories, rejected: [], complete: true });
    },
  );

  it('yields the same memories in order with uneven chunks of about four characters', () => {
    const sizes = [4, 3, 5, 4, 1, 7, 4, 2, 6, 4];
    const { parser, pushes } = stream(replayText, (step) => sizes[step % sizes.length]!);
    for (const [k, end] of prettyMemoryEnds.entries()) {
      // The push that first reaches a memory's closing brace yields it.
      const first = pushes.find((push) => push.length >= end)!;
      expect(first.yielded).toContainEqual(replayMemories[k]);
    }
    expect(pushes.flatMap((push) => push.yielded)).toEqual(replayMemories);
    expect(parser.finish().complete).toBe(true);
  });

  it('handles a think block and a fence whose tags arrive in pieces', () => {
    const text = '<think>\nA {tricky} thought\n</think>\n\n```json\n' + replayText + '```';
    const { parser, pushes } = stream(text, () => 1);
    expect(pushes.flatMap((push) => push.yielded)).toEqual(replayMemories);
    expect(parser.finish()).toEqual({ memories: replayMemories, rejected: [], complete: true });
  });

  it('does not yield an invalid memory; finish() reports it', () => {
    const text = replayText.replace('"source_id": 14', '"source_id": 0');
    const { parser, pushes } = stream(text, () => 3);
    expect(pushes.flatMap((push) => push.yielded)).toEqual(replayMemories.slice(0, 15));
    expect(parser.finish().rejected.map((r) => r.reason)).toEqual([
      'memories[15].source_id: must be ≥ 1, got 0',
    ]);
  });

  it('gives the same result as parseAnswer when the stream stops early', () => {
    const cut = 4321;
    const { parser } = stream(replayText.slice(0, cut), () => 5);
    expect(parser.finish()).toEqual(parseAnswer(replayText.slice(0, cut)));
    expect(parser.finish().complete).toBe(false);
  });

  it('parses each memory once, not the whole text on every push', () => {
    const parse = vi.spyOn(JSON, 'parse');
    stream(replayText, () => 1);
    // One JSON.parse per completed memory across 7.7k pushes; the outer shape is checked at finish.
    expect(parse).toHaveBeenCalledTimes(16);
  });

  it('waits out a half-decoded character at the end of the text', () => {
    const text = `{"memories": [${memoryJson(1, 'Café 🍝 night')}]}`;
    const splitAt = text.indexOf('🍝');
    const parser = new StreamingAnswerParser();
    parser.push(text.slice(0, splitAt) + '\uFFFD');
    expect(parser.push(text)).toHaveLength(1);
    expect(parser.finish().memories[0]!.content).toBe('Café 🍝 night');
  });

  it('refuses text that does not extend what was pushed before', () => {
    const parser = new StreamingAnswerParser();
    parser.push(replayText.slice(0, 200));
    expect(() => parser.push(replayText.slice(0, 100))).toThrow(/does not extend/);
    // A different answer (a restarted generation) is caught where the old one left off.
    expect(() => parser.push(compactText)).toThrow(/does not extend/);
  });

  it('cannot be pushed after finish()', () => {
    const parser = new StreamingAnswerParser();
    parser.push(compactText);
    parser.finish();
    expect(() => parser.push(compactText)).toThrow(/after finish/);
  });
});
