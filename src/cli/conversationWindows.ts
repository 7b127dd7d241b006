import { userMessages, type Conversation } from '../core/conversation';
import {
  cutWarning,
  planWindowsWithinBudget,
  TokenBudgetError,
  type BudgetedWindow,
  type TokenBudget,
  type TokenCounter,
  type WindowSettings,
} from '../core/windows';
import type { PromptVariant } from '../core/prompt';

/**
 * A conversation's windows exactly as `extract` and the app plan them (token budget included).
 * A message cut to fit gives one warning naming the conversation and the message; a budget that
 * leaves no room at all fails with the conversation's id and the options to change.
 */
export function conversationWindows(
  conversation: Conversation,
  settings: WindowSettings,
  budget: TokenBudget,
  counter: TokenCounter,
  warn: (warning: string) => void,
  variant: PromptVariant = 'card',
): BudgetedWindow[] {
  const users = userMessages(conversation);
  let windows: BudgetedWindow[];
  try {
    windows = planWindowsWithinBudget(users, settings, budget, counter, variant);
  } catch (error) {
    if (!(error instanceof TokenBudgetError)) throw error;
    throw new Error(
      `${conversation.id}: ${error.message} (options --context-size and --answer-reserve)`,
    );
  }
  for (const window of windows) {
    if (!window.cut) continue;
    const number = users.findIndex((message) => message.id === window.cut!.messageId) + 1;
    warn(cutWarning(conversation.id, window, number, budget.contextSize));
  }
  return windows;
}
