/** Where a command writes. Commands write stdout only once they have succeeded. */
export interface CliIo {
  out(text: string): void;
  /** A line for the person at the terminal (warnings, progress); never part of the output. */
  note(line: string): void;
}

/** One subcommand of the CLI; `main.ts` keeps the registry of them. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full usage text, shown by `--help`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<void>;
}

/** Wrong arguments: reported on one line with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
