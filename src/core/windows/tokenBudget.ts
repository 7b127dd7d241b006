import type { Message } from '../conversation';
import { buildPrompt, type PromptVariant } from '../prompt/buildPrompt';
import { qwen3ChatPrompt } from './chatTemplate';
import { assertPromptable, type PromptWindow } from './planWindows';
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
}

/** A single user message whose prompt cannot fit the context next to the answer reserve. */
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
 * leaves no room for one new message, overlap messages are dropped from the front first.
 * Throws a TokenBudgetError when a single message cannot fit at all.
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
  const windows: BudgetedWindow[] = [];
  // Messages before `covered` have already been a source in some window.
  let covered = 0;
  while (covered < userMessages.length) {
    const index = windows.length;
    let start = index === 0 ? 0 : Math.max(0, covered - settings.overlap);
    let placed: BudgetedWindow | null = null;
    while (placed === null) {
      const overlap = covered - start;
      const measure = (end: number): BudgetedWindow => {
        const window = { index, messages: userMessages.slice(start, end), overlap };
        const promptTokens = counter.count(qwen3ChatPrompt(buildPrompt(window, variant)));
        return { ...window, promptTokens, maxTokens: budget.contextSize - promptTokens };
      };
      placed = largestFitting(covered + 1, Math.min(start + settings.size, userMessages.length), {
        measure,
        fits: (window) => window.promptTokens <= maxPromptTokens,
      });
      if (placed !== null) break;
      if (start === covered) {
        const alone = measure(covered + 1);
        const message = userMessages[covered] as Message;
        throw new TokenBudgetError(
          `User message ${covered + 1} (${message.id}) does not fit the context: its prompt takes ` +
            `${alone.promptTokens} tokens, and with the ${budget.answerReserve}-token answer reserve ` +
            `that exceeds the ${budget.contextSize}-token context. Raise the context size or lower the answer reserve.`,
          message.id,
          alone.promptTokens,
        );
      }
      start += 1;
    }
    windows.push(placed);
    covered = start + placed.messages.length;
  }
  return windows;
}

/**
 * The window with the largest end in [lowEnd, highEnd] that fits, or null. Prompt tokens grow with
 * every added line, so a binary search needs few tokenizations; the full window is tried first
 * because it usually fits.
 */
function largestFitting(
  lowEnd: number,
  highEnd: number,
  {
    measure,
    fits,
  }: { measure: (end: number) => BudgetedWindow; fits: (w: BudgetedWindow) => boolean },
): BudgetedWindow | null {
  const full = measure(highEnd);
  if (fits(full)) return full;
  let best: BudgetedWindow | null = null;
  let low = lowEnd;
  let high = highEnd - 1;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const candidate = measure(mid);
    if (fits(candidate)) {
      best = candidate;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}
