import { userMessages } from '../../core/conversation';
import { promptFormatVersion } from '../../core/prompt';
import type { TokenCounter } from '../../core/windows';
import {
  defaultTokenBudget,
  defaultWindowSettings,
  planWindows,
  planWindowsWithinBudget,
} from '../../core/windows';
import { loadConversation } from '../conversations/conversationRepository';
import type { DimmemDb } from '../db/db';
import type { RunSettings, WindowCut, WindowRecord } from '../db/records';

export const defaultRunSettings: RunSettings = {
  window: defaultWindowSettings,
  budget: defaultTokenBudget,
  promptVariant: 'card',
  promptFormat: promptFormatVersion,
  maxTokens: defaultTokenBudget.answerReserve,
};

export interface RunRequest {
  conversationIds: string[];
  settings?: Partial<RunSettings>;
}

/** One window of a planned run, before anything is stored. */
export interface PlannedWindow {
  conversationId: string;
  windowInConversation: number;
  messageIds: string[];
  overlap: number;
  /** From the tokenizer; null when planned by message count only. */
  promptTokens: number | null;
  maxTokens: number;
  /** The one message of the window cut to fit the context, with the text its prompt holds. */
  cut?: WindowCut;
}

export interface RunPlan {
  /** The settings the run will record (budget null when no tokenizer was available). */
  settings: RunSettings;
  windows: PlannedWindow[];
  /** Sum of the windows' prompt tokens, when known. */
  promptTokens: number | null;
}

/** The stored record of a planned window before anything has run. */
export function pendingWindow(runId: string, index: number, planned: PlannedWindow): WindowRecord {
  return {
    runId,
    index,
    ...planned,
    status: 'pending',
    rawAnswer: null,
    finishReason: null,
    usage: null,
    timings: null,
    error: null,
    memoryCount: 0,
    rejected: [],
    attempts: 0,
    startedAt: null,
    finishedAt: null,
  };
}

function resolveSettings(partial: Partial<RunSettings> | undefined): RunSettings {
  // Every new run is planned with today's prompt form, whatever settings it was given.
  return { ...defaultRunSettings, ...partial, promptFormat: promptFormatVersion };
}

/**
 * Plans a run's windows from the stored conversations without storing anything: by the token
 * budget when a tokenizer loads (`loadTokenCounter`), else by message count.
 */
export async function planRun(
  db: DimmemDb,
  request: RunRequest,
  loadTokenCounter: (() => Promise<TokenCounter>) | null,
): Promise<RunPlan> {
  const settings = resolveSettings(request.settings);
  const counter = settings.budget && loadTokenCounter ? await loadTokenCounter() : null;
  const recorded: RunSettings = { ...settings, budget: counter ? settings.budget : null };
  const windows: PlannedWindow[] = [];
  for (const conversationId of request.conversationIds) {
    const conversation = await loadConversation(db, conversationId);
    if (!conversation) throw new Error(`Conversation ${conversationId} is not stored.`);
    const messages = userMessages(conversation);
    if (messages.length === 0) continue;
    const planned =
      counter && recorded.budget
        ? planWindowsWithinBudget(
            messages,
            settings.window,
            recorded.budget,
            counter,
            settings.promptVariant,
          )
        : planWindows(messages, settings.window).map((window) => ({
            ...window,
            promptTokens: null,
            maxTokens: settings.maxTokens,
          }));
    for (const window of planned) {
      const cut = 'cut' in window ? window.cut : undefined;
      const cutText = cut && window.messages.find((message) => message.id === cut.messageId)?.text;
      windows.push({
        conversationId,
        windowInConversation: window.index,
        messageIds: window.messages.map((message) => message.id),
        overlap: window.overlap,
        promptTokens: window.promptTokens,
        maxTokens: window.maxTokens,
        ...(cut && cutText !== undefined ? { cut: { ...cut, text: cutText } } : {}),
      });
    }
  }
  const known = windows.every((window) => window.promptTokens !== null);
  return {
    settings: recorded,
    windows,
    promptTokens: known
      ? windows.reduce((sum, window) => sum + (window.promptTokens ?? 0), 0)
      : null,
  };
}
