import type { CliIo } from '../../src/cli/command';

/** A CLI command's output and notes, kept for the test to read instead of printed. */
export function captureIo(): CliIo & { stdout: string; notes: string[] } {
  const io = {
    stdout: '',
    notes: [] as string[],
    out: (text: string) => void (io.stdout += text),
    note: (line: string) => void io.notes.push(line),
  };
  return io;
}
