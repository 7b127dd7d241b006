import type { PromptWindow } from '../windows/planWindows';
import { cardInstructions } from './cardInstructions';
import { formatMessageLine } from './formatMessageLine';
import { overlapRuleText } from './overlapRule';

/**
 * `card`: the model card's prompt (the default, what DimMem-4B was shown at inference).
 * `reference`: the reference pipeline's form, which adds a role line before and a newline after.
 */
export type PromptVariant = 'card' | 'reference';

export const promptVariants: readonly PromptVariant[] = ['card', 'reference'];

const instructionsEnd = 'Do not output any text outside the JSON.\n\n';
const referencePrefix = '\nYou are a structured memory extractor.\n\n';

/** The instructions, with the overlap rule spliced in where the reference template puts it. */
function instructionsFor(overlap: number): string {
  if (overlap === 0) return cardInstructions;
  const cut = cardInstructions.indexOf(instructionsEnd) + instructionsEnd.length;
  // The card leaves the `{overlap_rule}` slot empty: `…JSON.\n\n` + '' + `\n\nHere is…`.
  return cardInstructions.slice(0, cut) + overlapRuleText(overlap) + cardInstructions.slice(cut);
}

/** The exact prompt of one window: instructions, an empty line, then one line per user message. */
export function buildPrompt(window: PromptWindow, variant: PromptVariant = 'card'): string {
  if (window.messages.length === 0) throw new Error(`Window ${window.index} has no messages.`);
  if (window.overlap < 0 || window.overlap >= window.messages.length) {
    throw new RangeError(
      `Window ${window.index} has ${window.messages.length} messages, so its overlap must be 0–${window.messages.length - 1}, got ${window.overlap}.`,
    );
  }
  const lines = window.messages.map((message, i) => formatMessageLine(message, i + 1));
  const prompt = `${instructionsFor(window.overlap)}\n\n${lines.join('\n')}`;
  return variant === 'reference' ? `${referencePrefix}${prompt}\n` : prompt;
}
