import { userMessages, type Conversation } from '../../core/conversation';
import { formatLabels } from '../../core/import';
import { toIsoMillis } from '../../core/time/localTime';
import { defaultWindowSettings, planWindows } from '../../core/windows';
import type { CliCommand } from '../command';
import { parseCommandArgs, singleFile } from '../options';
import { readConversations } from '../readConversations';

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

function summarize(conversation: Conversation): InspectJson['conversations'][number] {
  const times = conversation.messages
    .map((message) => message.timestamp)
    .filter((time) => time !== null);
  const users = userMessages(conversation);
  return {
    id: conversation.id,
    title: conversation.title,
    messages: conversation.messages.length,
    userMessages: users.length,
    windows: planWindows(users, defaultWindowSettings).length,
    firstTimestamp: times.length === 0 ? null : toIsoMillis(Math.min(...times)),
    lastTimestamp: times.length === 0 ? null : toIsoMillis(Math.max(...times)),
  };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function describe(file: string, format: string, conversations: Conversation[]): string {
  const { size, overlap } = defaultWindowSettings;
  const lines = [`${file}: ${format}, ${plural(conversations.length, 'conversation')}`];
  for (const conversation of conversations) {
    const summary = summarize(conversation);
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
    'Usage: inspect <file> [--speaker NAME] [--json]',
    '',
    'Imports <file> (format detected) and lists its conversations: id, title, message counts,',
    `windows (${defaultWindowSettings.size} user messages, overlap ${defaultWindowSettings.overlap}), first and last timestamp.`,
    '',
    '  --speaker NAME  multi-speaker sources (LoCoMo, named transcripts): whose lines are "the user";',
    '                  "both" gives one conversation per speaker',
    '  --json          print {"format", "conversations": [{"id", "title", "messages", "userMessages",',
    '                  "windows", "firstTimestamp", "lastTimestamp"}]} instead',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('inspect', args, {
      speaker: { type: 'string' },
      json: { type: 'boolean' },
    });
    const file = singleFile('inspect', positionals);
    const result = await readConversations(file, values.speaker, io);
    if (values.json) {
      const json: InspectJson = {
        format: result.format,
        conversations: result.conversations.map(summarize),
      };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.out(describe(file, formatLabels[result.format], result.conversations));
    }
  },
};
