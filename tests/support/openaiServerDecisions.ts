/**
 * TEST ONLY: stand-in answers for consolidation decisions (the prompt of
 * src/core/consolidate/decisionPrompt.ts). The test server reads both memories back from the
 * prompt and the test says what to decide for them; the answer is the JSON the decision schema
 * asks for, keys in the schema's order, as a constrained model writes it.
 */

export const decisionPromptMarker = 'You are a memory consolidation assistant';

export interface PromptedMemory {
  content: string;
  type: string;
  time: string;
  /** Lower-cased, sorted, as the prompt lists them. */
  keywords: string[];
}

export interface DecisionPromptPair {
  /** Memory A of the prompt. */
  newer: PromptedMemory;
  /** Memory B of the prompt. */
  older: PromptedMemory;
}

/** The memory the prompt lists under `heading` ("Memory A (newer" or "Memory B (older"). */
function promptedMemory(prompt: string, heading: string): PromptedMemory {
  const start = prompt.indexOf(heading);
  if (start === -1) throw new Error(`not a decision prompt: no “${heading}”`);
  const field = (name: string) => {
    const match = new RegExp(`^  ${name}: (.*)$`, 'm').exec(prompt.slice(start));
    if (!match) throw new Error(`decision prompt without ${name} under “${heading}”`);
    return match[1]!;
  };
  const keywords = field('Keywords');
  return {
    content: field('Content'),
    type: field('Type'),
    time: field('Time'),
    keywords: keywords === '' ? [] : keywords.split(', '),
  };
}

export const isDecisionPrompt = (prompt: string) => prompt.startsWith(decisionPromptMarker);

/** Both memories of a decision prompt, read back from its text. */
export function readDecisionPrompt(prompt: string): DecisionPromptPair {
  return {
    newer: promptedMemory(prompt, 'Memory A (newer'),
    older: promptedMemory(prompt, 'Memory B (older'),
  };
}

export interface StandInDecision {
  decision: 'MERGE' | 'SUPERSEDE' | 'KEEP_BOTH';
  /** Defaults: the newer memory's text for MERGE and SUPERSEDE, empty for KEEP_BOTH. */
  mergedContent?: string;
  reasoning: string;
}

/** The answer text for one decision, filled from the pair as a model would fill it. */
export function decisionAnswer(pair: DecisionPromptPair, decided: StandInDecision): string {
  const keeps = decided.decision !== 'KEEP_BOTH';
  const keywords = [...new Set([...pair.newer.keywords, ...pair.older.keywords])];
  return JSON.stringify({
    decision: decided.decision,
    merged_content: keeps ? (decided.mergedContent ?? pair.newer.content) : '',
    merged_dimension: {
      memory_type: pair.newer.type,
      // Empty: the newer memory's own time stays (the prompt's Time may be a source time).
      time: '',
      keywords: keeps ? keywords : [],
      reason: '',
      purpose: '',
    },
    reasoning: decided.reasoning,
  });
}
