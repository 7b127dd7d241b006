import type { Message } from '../conversation';
import { formatMessageLine } from '../prompt/formatMessageLine';
import { contentCutGap, contentCutParts, maxContentCodePoints } from '../prompt/truncateContent';
import { countCodePoints } from '../text/codePoints';
import type { TokenCounter } from './tokenCounter';

/** A message too long for the context even after the model's 8000-code-point cut, cut further. */
export interface CutMessage {
  messageId: string;
  /** Tokens of its content as the model's own cut leaves it. */
  contentTokens: number;
  /** Tokens of the content kept (head, middle and tail, 5 : 2 : 3, with the `\n...\n` between). */
  keptTokens: number;
}

const splitTokens = (counter: TokenCounter, text: string): string[] =>
  counter.split ? counter.split(text) : Array.from(text);

/**
 * Where the kept tokens come from. A content the model keeps whole gives its head, middle and tail
 * from the one text; a content over 8000 code points, from the 500, 200 and 300 code points the
 * model's cut keeps, so this cut only ever shortens that one.
 */
function sourcesOf(
  content: string,
  parts: [string, string, string] | null,
  counter: TokenCounter,
): [string[], string[], string[]] {
  if (parts === null) {
    const tokens = splitTokens(counter, content);
    return [tokens, tokens, tokens];
  }
  return [
    splitTokens(counter, parts[0]),
    splitTokens(counter, parts[1]),
    splitTokens(counter, parts[2]),
  ];
}

/**
 * `kept` pieces (tokens, a character split over several kept whole), 5 : 2 : 3 from head, middle
 * and tail, joined as the model's cut joins them.
 */
function cutText([head, middle, tail]: [string[], string[], string[]], kept: number): string {
  const headCount = Math.min(head.length, Math.round(kept * 0.5));
  const middleCount = Math.min(middle.length, Math.round(kept * 0.2));
  const tailCount = Math.min(tail.length, kept - headCount - middleCount);
  const single = head === middle;
  // Centred as the model's middle is; with one source, never over the head or the tail.
  let middleStart = Math.floor((middle.length - middleCount) / 2);
  if (single) {
    middleStart = Math.min(Math.max(middleStart, headCount), tail.length - tailCount - middleCount);
  }
  return [
    head.slice(0, headCount).join(''),
    middle.slice(middleStart, middleStart + middleCount).join(''),
    tail.slice(tail.length - tailCount).join(''),
  ].join(contentCutGap);
}

/**
 * The message with its content cut on token boundaries until its line (numbered 1, the last of its
 * window) takes at most `lineTokens` tokens; null when not even an empty cut fits. The largest cut
 * that fits is found by bisection, each candidate counted as the exact line the prompt will hold.
 */
export function cutToFit(
  message: Message,
  lineTokens: number,
  counter: TokenCounter,
): { message: Message; cut: Omit<CutMessage, 'messageId'>; tokens: number } | null {
  const content = message.text.trim();
  const parts = contentCutParts(content);
  const sources = sourcesOf(content, parts, counter);
  const [head, middle, tail] = sources;
  // Pieces, not tokens: a character split over several tokens is one piece, never cut inside.
  const pieces = head === middle ? head.length : head.length + middle.length + tail.length;
  const measure = (kept: number) => {
    const text = cutText(sources, kept);
    const cut = { ...message, text };
    // Over 8000 code points, the model would cut the cut again: too long by definition.
    if (countCodePoints(text, maxContentCodePoints + 1) > maxContentCodePoints) return null;
    const tokens = counter.count(formatMessageLine(cut, 1));
    return tokens <= lineTokens ? { message: cut, tokens } : null;
  };
  let best: { message: Message; tokens: number; kept: number } | null = null;
  let low = 0;
  let high = pieces - 1;
  while (low <= high) {
    const kept = Math.floor((low + high) / 2);
    const fitting = measure(kept);
    if (fitting) {
      best = { ...fitting, kept };
      low = kept + 1;
    } else {
      high = kept - 1;
    }
  }
  if (best === null) return null;
  const original = parts === null ? content : parts.join(contentCutGap);
  return {
    message: best.message,
    cut: { contentTokens: counter.count(original), keptTokens: counter.count(best.message.text) },
    tokens: best.tokens,
  };
}

/**
 * The warning for a cut message, naming its conversation and message, for the CLI and the app:
 * `openai:04965…: user message 3 (m2) is too long for the 8192-token context …`.
 */
export function cutWarning(
  conversationId: string,
  window: { index: number; cut?: CutMessage },
  userMessageNumber: number,
  contextSize: number,
): string {
  const cut = window.cut!;
  return (
    `${conversationId}: user message ${userMessageNumber} (${cut.messageId}) is too long for the ` +
    `${contextSize}-token context even after the 8000-character cut; window ${window.index} holds it ` +
    `alone, cut on token boundaries (head, middle and tail): kept ${cut.keptTokens} of its ` +
    `${cut.contentTokens} tokens`
  );
}
