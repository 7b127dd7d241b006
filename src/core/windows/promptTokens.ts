import type { Message } from '../conversation';
import { buildPrompt, formatMessageLine, type PromptVariant } from '../prompt';
import { qwen3ChatPrompt } from './chatTemplate';
import type { TokenCounter } from './tokenCounter';

/**
 * A window's prompt tokens, counted piece by piece instead of re-tokenizing every candidate prompt:
 *
 *     tokens(window) = frame(overlap) + Σ line(i) + "\n"  (all lines but the last) + last line
 *
 * The frame is everything but the message lines: chat template, instructions, overlap rule and
 * the empty line before the first message. This equals counting the whole prompt because every
 * place where the prompt is cut here is `\n` followed by `[` (a line's start): Qwen3's
 * pre-tokenizer always ends a piece after that `\n` and starts a new one at `[`, byte-pair merges
 * never cross pieces, special tokens never contain `\n[`, and NFC never composes across it. The
 * tests check the equality on every LoCoMo window and on hostile lines.
 */
export interface PromptTokens {
  /** Tokens of the chat-templated prompt without its message lines. */
  frame(overlap: number): number;
  /** Tokens of message `i`'s line numbered `number`, with the `\n` after it unless it is `last`. */
  line(i: number, number: number, last: boolean): number;
}

const framesByCounter = new WeakMap<TokenCounter, Map<string, number>>();

/** Stand-ins for the frame's measurement: the frame does not depend on the messages. */
const placeholder = (i: number): Message => ({
  id: `frame-${i}`,
  role: 'user',
  speaker: 'User',
  text: 'x',
  timestamp: 0,
  sourceRef: '',
});

function frameTokens(counter: TokenCounter, overlap: number, variant: PromptVariant): number {
  let frames = framesByCounter.get(counter);
  if (!frames) framesByCounter.set(counter, (frames = new Map()));
  const key = `${variant} ${overlap}`;
  const known = frames.get(key);
  if (known !== undefined) return known;
  const messages = Array.from({ length: overlap + 1 }, (_, i) => placeholder(i));
  const prompt = buildPrompt({ index: 0, messages, overlap }, variant);
  const lines = messages.map((message, i) => formatMessageLine(message, i + 1)).join('\n');
  if (!prompt.endsWith(lines)) {
    throw new Error(
      'The prompt no longer ends with its message lines; its token count must be revisited.',
    );
  }
  const tokens = counter.count(qwen3ChatPrompt(prompt.slice(0, prompt.length - lines.length)));
  frames.set(key, tokens);
  return tokens;
}

/** Counts for one conversation's user messages; each line is tokenized once per number it gets. */
export function promptTokensOf(
  messages: readonly Message[],
  counter: TokenCounter,
  variant: PromptVariant,
  maxNumber: number,
): PromptTokens {
  const lines = new Map<number, number>();
  return {
    frame: (overlap) => frameTokens(counter, overlap, variant),
    line(i, number, last) {
      const key = (i * (maxNumber + 1) + number) * 2 + (last ? 1 : 0);
      let tokens = lines.get(key);
      if (tokens === undefined) {
        const text = formatMessageLine(messages[i]!, number);
        tokens = counter.count(last ? text : `${text}\n`);
        lines.set(key, tokens);
      }
      return tokens;
    },
  };
}
