import { userMessages, type Conversation } from '../core/conversation';
import {
  planWindowsWithinBudget,
  TokenBudgetError,
  type BudgetedWindow,
  type TokenBudget,
  type TokenCounter,
  type WindowSettings,
} from '../core/windows';

/**
 * A conversation's windows exactly as `extract` and the app plan them (token budget included).
 * A message too long for the budget fails with the conversation's id and the options to change.
 */
export function conversationWindows(
  conversation: Conversation,
  settings: WindowSettings,
  budget: TokenBudget,
  counter: TokenCounter,
): BudgetedWindow[] {
  try {
    return planWindowsWithinBudget(userMessages(conversation), settings, budget, counter);
  } catch (error) {
    if (!(error instanceof TokenBudgetError)) throw error;
    throw new Error(
      `${conversation.id}: ${error.message} (options --context-size and --answer-reserve)`,
    );
  }
}
