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

/** Wrong arguments: reported on one line with a pointer to `--help`, exit code 2 (`exitCodes.usage`). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The CLI's exit statuses (docs/cli.md#exit-status). Scripts can tell a bad command line from a
 * bad file, a server that could not be used, a run with windows left to retry and a Ctrl-C.
 */
export const exitCodes = {
  ok: 0,
  /** The input could not be read or imported, or an unexpected error. */
  input: 1,
  /** Wrong arguments (also: `--out` that would replace the input, or an earlier run's files). */
  usage: 2,
  /** The server could not be used (unreachable, refused, wrong model) or no window succeeded. */
  server: 3,
  /** Some windows failed or were rejected; `--resume` retries them. */
  partial: 4,
  /** Interrupted (Ctrl-C, SIGTERM): 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A failure with its own exit status; reported on one line like any other. */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
