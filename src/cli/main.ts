import type { CliCommand, CliIo } from './command';
import { CliError, exitCodes, UsageError } from './command';
import { askCommand } from './commands/ask';
import { consolidateCommand } from './commands/consolidate';
import { convertCommand } from './commands/convert';
import { extractCommand } from './commands/extract';
import { inspectCommand } from './commands/inspect';
import { promptsCommand } from './commands/prompts';
import { searchCommand } from './commands/search';
import { errorText } from '../core/errorText';

/** Every subcommand; a new one is a module in ./commands plus one entry here. */
const commands: readonly CliCommand[] = [
  inspectCommand,
  promptsCommand,
  extractCommand,
  convertCommand,
  searchCommand,
  askCommand,
  consolidateCommand,
];

const program = 'npm run cli --';

const exitStatusHelp =
  `Exit status: ${exitCodes.ok} done, ${exitCodes.input} input error, ${exitCodes.usage} usage error, ` +
  `${exitCodes.server} server error, ${exitCodes.partial} some windows failed (--resume retries them), ` +
  `${exitCodes.interrupted} interrupted.`;

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `Usage: ${program} <command> [options]   (add --help after a command for its options)`,
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    exitStatusHelp,
    '',
  ].join('\n');
}

/** One line, whatever the error: the CLI's contract for failures. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

async function main(argv: string[]): Promise<number> {
  const io: CliIo = {
    out: (text) => void process.stdout.write(text),
    note: (line) => void process.stderr.write(`${oneLine(line)}\n`),
  };
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  try {
    if (name === undefined) throw new UsageError('missing <command>.');
    if (!command) throw new UsageError(`unknown command "${name}".`);
    if (args.includes('--help') || args.includes('-h')) {
      io.out(`${command.usage}\n\n${exitStatusHelp}\n`);
      return exitCodes.ok;
    }
    await command.run(args, io);
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      const help = command ? `${program} ${command.name} --help` : `${program} --help`;
      process.stderr.write(`dimmem: ${oneLine(error.message)} (see \`${help}\`)\n`);
      return exitCodes.usage;
    }
    const message = errorText(error);
    process.stderr.write(`dimmem: ${oneLine(message)}\n`);
    if (process.env.DIMMEM_DEBUG && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    return error instanceof CliError ? error.exitCode : exitCodes.input;
  }
}

process.exitCode = await main(process.argv.slice(2));
