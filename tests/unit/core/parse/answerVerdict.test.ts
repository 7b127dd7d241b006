import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { answerVerdict, parseAnswer } from '../../../../src/core/parse';

const seedAnswer = readFileSync(
  path.resolve(__dirname, '../../../fixtures/seed/replay-window0.json'),
  'utf8',
);
/** The recorded answer broken off in its ninth memory, as a token limit would leave it. */
const brokenOff = seedAnswer.slice(0, seedAnswer.indexOf('"content"', 3000));

const verdictOf = (text: string, finishReason: string) =>
  answerVerdict(parseAnswer(text), finishReason);

describe('the verdict on a model answer', () => {
  it('accepts a whole answer, also one that closed its JSON exactly at the token limit', () => {
    expect(verdictOf(seedAnswer, 'stop')).toEqual({ kind: 'accepted' });
    expect(verdictOf(seedAnswer, 'length')).toEqual({ kind: 'accepted' });
  });

  it('calls an answer the token limit broke off cut off, with what the parser saw', () => {
    const verdict = verdictOf(brokenOff, 'length');
    expect(verdict.kind).toBe('cut-off');
    expect(verdict).toMatchObject({ error: expect.stringMatching(/cut off .* kept/) });
  });

  it('calls an answer that broke off without reaching the limit malformed, not cut off', () => {
    expect(verdictOf(brokenOff, 'stop')).toMatchObject({
      kind: 'malformed',
      error: expect.stringMatching(/cut off/),
    });
  });

  it('calls prose, and JSON of the wrong shape, malformed even when the JSON closed', () => {
    expect(verdictOf('I could not find any memories here.', 'stop').kind).toBe('malformed');
    const wrongShape = verdictOf('{"memories": "none"}', 'stop');
    expect(wrongShape).toMatchObject({ kind: 'malformed', error: expect.stringMatching(/shape/) });
  });

  it('calls an unclosed answer the parser has no complaint about unfinished', () => {
    expect(answerVerdict({ complete: false }, 'stop')).toEqual({ kind: 'unfinished' });
    expect(answerVerdict({ complete: false }, 'length')).toEqual({ kind: 'cut-off' });
  });
});
