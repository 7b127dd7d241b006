import { userMessages, type Conversation } from '../../core/conversation';
import { formatLabels } from '../../core/import';
import { toIsoMillis } from '../../core/time/localTime';
import { timeSpan } from '../../core/timeSpan';
import type { CliCommand } from '../command';
import { conversationWindows } from '../conversationWindows';
import { parseCommandArgs, singleFile } from '../options';
import { windowOptionsConfig, windowOptionsUsage } from '../windowOptions';
import { readForPlanning, type WindowPlanning } from '../windowPlanning';

/** The `--json` shape, exactly as documented in docs/cli.md. */
export interface InspectJson {
  format: string;
  conversations: {
    id: string;
    title: string;
    messages: number;
    userMessages: number;
    windows: number;
    firstTimestamp: string | null;
    lastTimestamp: string | null;
  }[];
}

function summarize(
  conversation: Conversation,
  { settings, budget, counter, warn }: WindowPlanning,
): InspectJson['conversations'][number] {
  const span = timeSpan(conversation.messages);
  const users = userMessages(conversation);
  return {
    id: conversation.id,
    title: conversation.title,
    messages: conversation.messages.length,
    userMessages: users.length,
    windows: conversationWindows(conversation, settings, budget, counter, warn).length,
    firstTimestamp: span === null ? null : toIsoMillis(span.first),
    lastTimestamp: span === null ? null : toIsoMillis(span.last),
  };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function describe(
  file: string,
  format: string,
  conversations: Conversation[],
  planning: WindowPlanning,
): string {
  const { size, overlap } = planning.settings;
  const { contextSize, answerReserve } = planning.budget;
  const lines = [
    `${file}: ${format}, ${plural(conversations.length, 'conversation')}`,
    `windows: each prompt within ${contextSize - answerReserve} tokens (${contextSize}-token context, ${answerReserve} kept for the answer)`,
  ];
  for (const conversation of conversations) {
    const summary = summarize(conversation, planning);
    lines.push(
      '',
      `${summary.id}  ${summary.title}`,
      `  ${plural(summary.messages, 'message')}, ${summary.userMessages} from the user, ` +
        `${plural(summary.windows, 'window')} (${size} per window, overlap ${overlap})`,
      `  ${summary.firstTimestamp ?? 'no timestamps'}${summary.lastTimestamp === null ? '' : ` → ${summary.lastTimestamp}`}`,
    );
    if (conversation.assumedTimestamps) {
      const { date, reason } = conversation.assumedTimestamps;
      lines.push(
        `  times assumed from ${reason === 'user-given' ? 'the given date' : 'the import time'} ${toIsoMillis(date)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'show the detected format and, per conversation, messages, windows and time span',
  usage: [
    'Usage: inspect <file> [--speaker NAME] [--json] [--window-size N] [--overlap N]',
    '                      [--context-size N] [--answer-reserve N]',
    '',
    'Imports <file> (format detected) and lists its conversations: id, title, message counts,',
    'windows and first and last timestamp. Windows are planned as `extract` and the app plan them:',
    'up to --window-size user messages, fewer when a prompt would not fit the token budget.',
    '',
    '  --speaker NAME      multi-speaker sources (LoCoMo, named transcripts): whose lines are "the',
    '                      user"; "both" gives one conversation per speaker',
    '  --json              print {"format", "conversations": [{"id", "title", "messages",',
    '                      "userMessages", "windows", "firstTimestamp", "lastTimestamp"}]} instead',
    ...windowOptionsUsage(22),
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('inspect', args, {
      speaker: { type: 'string' },
      json: { type: 'boolean' },
      ...windowOptionsConfig,
    });
    const file = singleFile('inspect', positionals);
    const { result, planning } = await readForPlanning(file, values, io);
    if (values.json) {
      const json: InspectJson = {
        format: result.format,
        conversations: result.conversations.map((conversation) =>
          summarize(conversation, planning),
        ),
      };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.out(describe(file, formatLabels[result.format], result.conversations, planning));
    }
  },
};
