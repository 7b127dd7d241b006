import type { PromptWindow } from './promptWindow';
import { cardInstructions } from './cardInstructions';
import { formatMessageLine } from './formatMessageLine';
import { overlapRuleText } from './overlapRule';

/**
 * `card`: the model card's prompt (the default, what DimMem-4B was shown at inference).
 * `reference`: the reference batch extractor's form, which puts a role line before the card text.
 */
export const promptVariants = ['card', 'reference'] as const;
export type PromptVariant = (typeof promptVariants)[number];

const instructionsEnd = 'Do not output any text outside the JSON.\n\n';
// The batch extractor strips the whole template, so the role line has no newline before it and the
// prompt none after its last message line.
const referencePrefix = 'You are a structured memory extractor.\n\n';

/**
 * The version of the prompt's bytes. A run records the version it was planned with; a run planned
 * with another version restarts its unfinished windows rather than mix two prompt forms.
 * 1: the overlap rule between two empty lines (the raw template's form; no pipeline sent it).
 * 2: the overlap rule between one empty line above and one below, as the batch extractor sends it.
 */
export const promptFormatVersion = 2;

/** The instructions, with the overlap rule spliced in where the reference template puts it. */
function instructionsFor(overlap: number): string {
  if (overlap === 0) return cardInstructions;
  const cut = cardInstructions.indexOf(instructionsEnd) + instructionsEnd.length;
  // The card leaves the `{overlap_rule}` slot empty: `…JSON.\n\n` + '' + `\n\nHere is…`; the rule
  // fills it with no newline of its own, so one empty line stands above it and one below.
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
  return variant === 'reference' ? `${referencePrefix}${prompt}` : prompt;
}
