import { describe, expect, it } from 'vitest';

import {
  buildConsolidationPrompt,
  parseConsolidationDecision,
} from '../../../../src/core/consolidate';
import {
  decisionAnswer,
  isDecisionPrompt,
  readDecisionPrompt,
} from '../../../support/openaiServerDecisions';
import { fixtureMemories } from './fixtureMemories';

// The browser tests' endpoint answers decisions through this stand-in: it must read the real
// prompt, and what it answers must be a decision the app accepts.
describe('the test server’s stand-in decisions', () => {
  const memories = fixtureMemories();
  const byId = (id: string) => memories.find((memory) => memory.id === id)!;

  it('reads both memories back from the real prompt, A the newer', () => {
    const prompt = buildConsolidationPrompt(byId('mem-lisbon'), byId('mem-berlin-1'));
    expect(isDecisionPrompt(prompt)).toBe(true);
    expect(readDecisionPrompt(prompt)).toEqual({
      newer: {
        content: 'The user lives in Lisbon.',
        type: 'fact',
        time: '2023-05-10',
        keywords: ['home', 'lisbon'],
      },
      older: {
        content: 'The user lives in Berlin.',
        type: 'fact',
        time: '2023-03-02T09:00:00',
        keywords: ['berlin', 'home'],
      },
    });
    expect(isDecisionPrompt('You are a memory query parser')).toBe(false);
    expect(() => readDecisionPrompt('Memory A (newer, recorded at x):\n')).toThrow(
      /decision prompt without/,
    );
  });

  it('answers decisions the app’s parser accepts, with both memories’ keywords', () => {
    const pair = readDecisionPrompt(
      buildConsolidationPrompt(byId('mem-carbonara-2'), byId('mem-carbonara-1')),
    );
    const merged = parseConsolidationDecision(
      decisionAnswer(pair, { decision: 'MERGE', reasoning: 'Same lunch.' }),
    );
    expect(merged.decision).toBe('MERGE');
    expect(merged.merged_content).toBe(
      'The user tried the Spaghetti Carbonara at Bella Vita and loved it.',
    );
    expect(merged.merged_dimension.keywords).toEqual([
      'bella vita',
      'spaghetti carbonara',
      'italian food',
    ]);
    const kept = parseConsolidationDecision(
      decisionAnswer(pair, { decision: 'KEEP_BOTH', reasoning: 'Two lunches.' }),
    );
    expect(kept).toMatchObject({ decision: 'KEEP_BOTH', merged_content: '' });
  });
});
