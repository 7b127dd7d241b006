import type { Message } from '../conversation';
import type { PromptVariant } from '../prompt/buildPrompt';
import { cutToFit, type CutMessage } from './messageCut';
import type { PromptWindow } from '../prompt/promptWindow';
import { assertPromptable } from './planWindows';
import { promptTokensOf } from './promptTokens';
import type { TokenCounter } from './tokenCounter';
import { validateWindowSettings, type WindowSettings } from './windowSettings';

/** The model's context holds the prompt and the answer together. */
export interface TokenBudget {
  /** The engine's `context_window_size`, in tokens. */
  contextSize: number;
  /** Tokens kept free for the answer (15 messages often give 1.5–2.5k tokens of JSON). */
  answerReserve: number;
}

export const defaultTokenBudget: TokenBudget = { contextSize: 8192, answerReserve: 3000 };

export interface BudgetedWindow extends PromptWindow {
  /** Tokens of the prompt as the model sees it, chat template included. */
  promptTokens: number;
  /** What is left of the context for the answer: `contextSize − promptTokens`, never below the reserve. */
  maxTokens: number;
  /**
   * Set when the window's one message was too long for the context even after the model's own
   * 8000-code-point cut, and was cut further: its text in `messages` is the cut one.
   */
  cut?: CutMessage;
}

/** Nothing fits: the budget leaves no room for even the instructions and one (cut) message. */
export class TokenBudgetError extends Error {
  override name = 'TokenBudgetError';
  constructor(
    message: string,
    readonly messageId: string,
    readonly promptTokens: number,
  ) {
    super(message);
  }
}

function validateBudget({ contextSize, answerReserve }: TokenBudget): void {
  if (!Number.isInteger(contextSize) || contextSize < 1) {
    throw new RangeError(`Context size must be a whole number of tokens, got ${contextSize}.`);
  }
  if (!Number.isInteger(answerReserve) || answerReserve < 0 || answerReserve >= contextSize) {
    throw new RangeError(
      `Answer reserve must be a whole number of tokens below the context size ${contextSize}, got ${answerReserve}.`,
    );
  }
}

/**
 * Like `planWindows`, but a window shrinks (dropping messages from its end) until its prompt plus
 * the answer reserve fits the context. The next window then starts `overlap` messages before the
 * first message not yet covered, so every message is a source exactly once. If even the overlap
 * leaves no room for one new message, overlap messages are dropped from the front first. A single
 * message that cannot fit on its own is cut further (see `cutToFit`) and marked in `cut`.
 * Throws a TokenBudgetError only when not even a cut message fits next to the instructions.
 *
 * Tokens are counted per line (see `promptTokensOf`), each line once per number it gets, so
 * planning is linear in the conversation's length.
 */
export function planWindowsWithinBudget(
  userMessages: readonly Message[],
  settings: WindowSettings,
  budget: TokenBudget,
  counter: TokenCounter,
  variant: PromptVariant = 'card',
): BudgetedWindow[] {
  validateWindowSettings(settings);
  validateBudget(budget);
  assertPromptable(userMessages);
  const maxPromptTokens = budget.contextSize - budget.answerReserve;
  const tokens = promptTokensOf(userMessages, counter, variant, settings.size);
  const windows: BudgetedWindow[] = [];
  // Messages before `covered` have already been a source in some window.
  let covered = 0;
  while (covered < userMessages.length) {
    const index = windows.length;
    let start = index === 0 ? 0 : Math.max(0, covered - settings.overlap);
    let window = largestFitting(index, start, covered);
    while (window === null && start < covered) {
      start += 1;
      window = largestFitting(index, start, covered);
    }
    window ??= cutWindow(index, covered);
    windows.push(window);
    covered = start + window.messages.length;
  }
  return windows;

  /**
   * The window from `start` with the most messages (at least one past `covered`) that fits, or
   * null. The lines before each candidate's last one are summed once.
   */
  function largestFitting(index: number, start: number, covered: number): BudgetedWindow | null {
    const overlap = covered - start;
    const highEnd = Math.min(start + settings.size, userMessages.length);
    const before = [tokens.frame(overlap)];
    for (let i = start; i < highEnd - 1; i++) {
      before.push(before[before.length - 1]! + tokens.line(i, i - start + 1, false));
    }
    for (let end = highEnd; end > covered; end--) {
      const promptTokens = before[end - 1 - start]! + tokens.line(end - 1, end - start, true);
      if (promptTokens <= maxPromptTokens) {
        return {
          index,
          messages: userMessages.slice(start, end),
          overlap,
          promptTokens,
          maxTokens: budget.contextSize - promptTokens,
        };
      }
    }
    return null;
  }

  /** The one message at `at`, alone and cut until it fits. */
  function cutWindow(index: number, at: number): BudgetedWindow {
    const message = userMessages[at] as Message;
    const frame = tokens.frame(0);
    const fitted = cutToFit(message, maxPromptTokens - frame, counter);
    if (fitted === null) {
      const alone = frame + tokens.line(at, 1, true);
      throw new TokenBudgetError(
        `User message ${at + 1} (${message.id}) does not fit the context: the instructions alone ` +
          `take ${frame} tokens, and with the ${budget.answerReserve}-token answer reserve that leaves ` +
          `no room in the ${budget.contextSize}-token context, not even for the message cut short. ` +
          'Raise the context size or lower the answer reserve.',
        message.id,
        alone,
      );
    }
    return {
      index,
      messages: [fitted.message],
      overlap: 0,
      promptTokens: frame + fitted.tokens,
      maxTokens: budget.contextSize - frame - fitted.tokens,
      cut: { messageId: message.id, ...fitted.cut },
    };
  }
}
