import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');
const shared = path.resolve(repo, '../shared');
const seedFile = path.join(shared, 'data/seed-example/conversation.txt');
const golden = (name: string) => readFileSync(path.join(shared, 'data/seed-example', name), 'utf8');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as `npm run cli -- …` does. */
function cli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: repo,
      env: { ...process.env, DIMMEM_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A failure: non-zero exit, nothing on stdout, exactly one line on stderr. */
function expectOneLineError(run: CliRun, pattern: RegExp) {
  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
}

describe('cli prompts', () => {
  it('prints exactly prompt-window0.txt for --window 0', async () => {
    const run = await cli('prompts', seedFile, '--window', '0');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(golden('prompt-window0.txt'));
  });

  it('prints exactly prompt-window1-overlap3.txt for window 1 of size 9, overlap 3', async () => {
    const run = await cli(
      'prompts',
      seedFile,
      '--window',
      '1',
      '--window-size',
      '9',
      '--overlap',
      '3',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(golden('prompt-window1-overlap3.txt'));
  });

  it('prints every window under a header line when no window is chosen', async () => {
    const run = await cli('prompts', seedFile, '--window-size', '9');
    expect(run.code).toBe(0);
    const headers = run.stdout.split('\n').filter((line) => line.startsWith('##### '));
    expect(headers).toHaveLength(2);
    expect(headers[1]).toMatch(/window 1 of 0–1 · 8 of 14 user messages \(m6–m13\), overlap 3/);
    // Each block is the exact prompt under its header.
    const secondBlock = run.stdout.slice(run.stdout.indexOf(headers[1]!) + headers[1]!.length + 1);
    expect(secondBlock).toBe(`${golden('prompt-window1-overlap3.txt')}\n`);
  });

  it('fails on one line for a window that does not exist', async () => {
    expectOneLineError(
      await cli('prompts', seedFile, '--window', '1'),
      /has 1 window \(0–0\).*no window 1/,
    );
  });

  it('fails on one line for impossible window settings', async () => {
    expectOneLineError(
      await cli('prompts', seedFile, '--window-size', '4', '--overlap', '4'),
      /overlap must be a whole number from 0 to 3/,
    );
    expectOneLineError(
      await cli('prompts', seedFile, '--window', 'first'),
      /--window must be a whole number/,
    );
  });
});

describe('cli inspect', () => {
  it('reports the seed conversation as JSON of the documented shape', async () => {
    const run = await cli('inspect', seedFile, '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const json: unknown = JSON.parse(run.stdout);
    expect(json).toEqual({
      format: 'dimmem-lines',
      conversations: [
        {
          id: expect.any(String),
          title: expect.any(String),
          messages: 14,
          userMessages: 14,
          windows: 1,
          firstTimestamp: '2023-04-23T08:57:00.500',
          lastTimestamp: '2023-05-05T03:48:00.500',
        },
      ],
    });
    const [conversation] = (json as { conversations: Record<string, unknown>[] }).conversations;
    expect(Object.keys(conversation!)).toEqual([
      'id',
      'title',
      'messages',
      'userMessages',
      'windows',
      'firstTimestamp',
      'lastTimestamp',
    ]);
  });

  it('describes a LoCoMo conversation for the chosen speaker, or both', async () => {
    const file = path.join(shared, 'data/locomo/26.json');
    const [one, both] = await Promise.all([
      cli('inspect', file, '--json'),
      cli('inspect', file, '--json', '--speaker', 'both'),
    ]);
    expect(one.code).toBe(0);
    const single = JSON.parse(one.stdout) as {
      format: string;
      conversations: { userMessages: number; messages: number; windows: number }[];
    };
    expect(single.format).toBe('locomo');
    expect(single.conversations).toHaveLength(1);
    const [conversation] = single.conversations;
    expect(conversation!.userMessages).toBeLessThan(conversation!.messages);
    expect(conversation!.windows).toBe(
      Math.max(1, Math.ceil((conversation!.userMessages - 3) / 12)),
    );
    expect((JSON.parse(both.stdout) as { conversations: unknown[] }).conversations).toHaveLength(2);
  });

  it('prints a readable summary without --json', async () => {
    const run = await cli('inspect', seedFile);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^.*conversation\.txt: DimMem lines, 1 conversation\n/);
    expect(run.stdout).toContain(
      '14 messages, 14 from the user, 1 window (15 per window, overlap 3)',
    );
    expect(run.stdout).toContain('2023-04-23T08:57:00.500 → 2023-05-05T03:48:00.500');
  });
});

describe('cli errors', () => {
  it('names a missing file on one line', async () => {
    expectOneLineError(
      await cli('inspect', 'no-such-chat.json'),
      /cannot read no-such-chat\.json: no such file/,
    );
  });

  it('names the file and the formats tried for input it cannot import', async () => {
    const notAChat = path.join(shared, 'data/seed-example/expected-output.json');
    expectOneLineError(await cli('prompts', notAChat), /expected-output\.json/);
  });

  it('explains unknown commands and options, and offers help', async () => {
    const [unknownCommand, unknownOption, help] = await Promise.all([
      cli('extract-all', seedFile),
      cli('inspect', seedFile, '--colour'),
      cli('--help'),
    ]);
    expectOneLineError(unknownCommand, /unknown command "extract-all"/);
    expectOneLineError(unknownOption, /inspect: Unknown option '--colour'/);
    expect(unknownOption.code).toBe(2);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/inspect\s+show the detected format/);
    expect(help.stdout).toMatch(/prompts\s+print the exact prompts/);
  });
});
