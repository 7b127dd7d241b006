import type { Conversation } from '../../core/conversation';
import { userMessages } from '../../core/conversation';
import type { PromptVariant } from '../../core/prompt';
import { buildPrompt } from '../../core/prompt';
import type { BudgetedWindow, TokenBudget, TokenCounter, WindowSettings } from '../../core/windows';
import { conversationWindows } from '../conversationWindows';

/** One unit of work: a window of one conversation, with its exact prompt and answer budget. */
export interface WindowJob {
  /** Identifies the window across runs (for `--resume`): conversation id and window index. */
  key: string;
  conversation: Conversation;
  /** Position of the conversation in the file, so output can be ordered as the source is. */
  conversationOrder: number;
  window: BudgetedWindow;
  prompt: string;
}

export const windowKey = (conversationId: string, windowIndex: number): string =>
  JSON.stringify([conversationId, windowIndex]);

export interface PlanSettings {
  windows: WindowSettings;
  budget: TokenBudget;
  variant: PromptVariant;
}

/**
 * Every window of every conversation, planned exactly as the app plans them (same windows,
 * same token budget, same prompt). Conversations without user messages have nothing to extract.
 * `warnings` name each message cut to fit the context (its window holds the cut prompt).
 */
export function planExtraction(
  conversations: readonly Conversation[],
  settings: PlanSettings,
  counter: TokenCounter,
): { jobs: WindowJob[]; skipped: Conversation[]; warnings: string[] } {
  const jobs: WindowJob[] = [];
  const skipped: Conversation[] = [];
  const warnings: string[] = [];
  const ids = new Set(conversations.map((conversation) => conversation.id));
  if (ids.size !== conversations.length) {
    // Resume bookkeeping is keyed by conversation id; two alike would overwrite each other.
    throw new Error('the file holds two conversations with the same id; extract them separately.');
  }
  conversations.forEach((conversation, conversationOrder) => {
    const users = userMessages(conversation);
    if (users.length === 0) {
      skipped.push(conversation);
      return;
    }
    const windows = conversationWindows(
      conversation,
      settings.windows,
      settings.budget,
      counter,
      (warning) => warnings.push(warning),
      settings.variant,
    );
    for (const window of windows) {
      jobs.push({
        key: windowKey(conversation.id, window.index),
        conversation,
        conversationOrder,
        window,
        prompt: buildPrompt(window, settings.variant),
      });
    }
  });
  return { jobs, skipped, warnings };
}
