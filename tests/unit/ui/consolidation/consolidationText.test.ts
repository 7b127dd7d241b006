import { describe, expect, it } from 'vitest';

import {
  progressText,
  proposedBy,
  queueHeading,
  secondsLeft,
  similarityText,
} from '../../../../src/ui/consolidation/consolidationText';

describe('the Tidy view’s words', () => {
  it('heads the queue with its counts, singular and plural, and what is undecided', () => {
    expect(queueHeading({ duplicates: 12, conflicts: 3, undecided: 0 })).toBe(
      '12 possible duplicates, 3 conflicts',
    );
    expect(queueHeading({ duplicates: 1, conflicts: 1, undecided: 1 })).toBe(
      '1 possible duplicate, 1 conflict (1 undecided)',
    );
    expect(queueHeading({ duplicates: 0, conflicts: 0, undecided: 0 })).toBe(
      '0 possible duplicates, 0 conflicts',
    );
  });

  it('says how similarity was measured and who proposed', () => {
    expect(similarityText({ similarity: 0.6667, method: 'lexical' })).toBe(
      'similarity 0.67 by shared words (lexical)',
    );
    expect(similarityText({ similarity: 1, method: 'embedding' })).toBe(
      'similarity 1.00 by meaning (embeddings)',
    );
    expect(proposedBy('rule: exact duplicate')).toBe('by rule (exact duplicate)');
    expect(proposedBy('Qwen/Qwen3-4B')).toBe('by Qwen/Qwen3-4B');
  });

  it('counts the time left from the pace so far, and only once there is a pace', () => {
    const startedAt = 1_000_000;
    expect(secondsLeft({ done: 0, total: 10, startedAt }, startedAt + 30_000)).toBeUndefined();
    expect(secondsLeft({ done: 2, total: 10, startedAt }, startedAt + 500)).toBeUndefined();
    expect(secondsLeft({ done: 2, total: 10, startedAt }, startedAt + 20_000)).toBe(80);
    expect(secondsLeft({ done: 10, total: 10, startedAt }, startedAt + 20_000)).toBe(0);
    // A clock read before the work started (the view's clock ticks once a second) is no pace.
    expect(secondsLeft({ done: 1, total: 10, startedAt }, startedAt - 400)).toBeUndefined();
    expect(progressText('deciding', { done: 2, total: 10, startedAt }, startedAt + 20_000)).toBe(
      '2 of 10 pairs decided · about 80 s left',
    );
    expect(progressText('deciding', { done: 0, total: 1, startedAt }, startedAt)).toBe(
      '0 of 1 pair decided',
    );
    expect(progressText('waiting-for-gpu', null, startedAt)).toMatch(/a run is using it/);
    expect(progressText('idle', null, startedAt)).toBe('');
  });
});
