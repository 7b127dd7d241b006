import { userMessages, type Conversation } from '../../core/conversation';
import { buildPrompt } from '../../core/prompt';
import type { BudgetedWindow } from '../../core/windows';
import { UsageError, type CliCommand } from '../command';
import { conversationWindows } from '../conversationWindows';
import { integerOption, parseCommandArgs, singleFile } from '../options';
import { windowOptionsConfig, windowOptionsUsage } from '../windowOptions';
import { readForPlanning } from '../windowPlanning';

function pickConversations(file: string, conversations: Conversation[], id: string | undefined) {
  if (id === undefined) return conversations;
  const match = conversations.find((conversation) => conversation.id === id);
  if (!match) {
    throw new UsageError(
      `${file} has no conversation "${id}" (\`inspect ${file}\` lists the ids).`,
    );
  }
  return [match];
}

/** Marks where each prompt starts when several are printed; never part of a prompt. */
function header(conversation: Conversation, window: BudgetedWindow, count: number, total: number) {
  const first = window.messages[0]?.id ?? '';
  const last = window.messages.at(-1)?.id ?? '';
  return (
    `##### ${conversation.id} · window ${window.index} of 0–${count - 1} · ` +
    `${window.messages.length} of ${total} user messages (${first}–${last}), overlap ${window.overlap}, ` +
    `${window.promptTokens} prompt tokens${window.cut ? `, ${window.cut.messageId} cut to ${window.cut.keptTokens} of its ${window.cut.contentTokens} tokens` : ''} #####`
  );
}

export const promptsCommand: CliCommand = {
  name: 'prompts',
  summary: 'print the exact prompts the model would receive',
  usage: [
    'Usage: prompts <file> [--conversation ID] [--window N] [--window-size N] [--overlap N]',
    '                      [--context-size N] [--answer-reserve N] [--speaker NAME]',
    '',
    'With --window N: prints exactly the prompt of window N (counted from 0), nothing before or after.',
    'Without it: prints every window of every conversation, each under a "##### … #####" header line.',
    'Windows are planned as `extract` and the app plan them: up to --window-size user messages,',
    'fewer when a prompt would not fit the token budget.',
    '',
    '  --conversation ID   only this conversation (ids from `inspect`); needed with --window when',
    '                      the file holds several conversations',
    '  --window N          only window N',
    ...windowOptionsUsage(22),
    '  --speaker NAME      multi-speaker sources: whose lines are "the user"; "both" for each speaker',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('prompts', args, {
      conversation: { type: 'string' },
      window: { type: 'string' },
      speaker: { type: 'string' },
      ...windowOptionsConfig,
    });
    const file = singleFile('prompts', positionals);
    const windowIndex = integerOption('window', values.window, 0);
    const { result, planning } = await readForPlanning(file, values, io);
    const { settings, budget, counter, warn } = planning;
    const conversations = pickConversations(file, result.conversations, values.conversation);

    if (windowIndex !== undefined) {
      if (conversations.length > 1) {
        throw new UsageError(
          `${file} holds ${conversations.length} conversations; choose one with --conversation ID (\`inspect ${file}\` lists them).`,
        );
      }
      const [conversation] = conversations as [Conversation];
      const windows = conversationWindows(conversation, settings, budget, counter, warn);
      const window = windows[windowIndex];
      if (!window) {
        const range = windows.length === 0 ? 'none' : `0–${windows.length - 1}`;
        throw new Error(
          `${conversation.id} has ${windows.length} window${windows.length === 1 ? '' : 's'} (${range}) with size ${settings.size}, overlap ${settings.overlap} ` +
            `and a context of ${budget.contextSize} tokens (${budget.answerReserve} kept for the answer); there is no window ${windowIndex}.`,
        );
      }
      io.out(buildPrompt(window));
      return;
    }

    const blocks = conversations.flatMap((conversation) => {
      const windows = conversationWindows(conversation, settings, budget, counter, warn);
      const total = userMessages(conversation).length;
      return windows.map(
        (window) =>
          `${header(conversation, window, windows.length, total)}\n${buildPrompt(window)}\n`,
      );
    });
    io.out(blocks.join('\n'));
  },
};
