import { readFileSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { runCli, type CliRun } from '../../support/cliProcess';
import { withTempDir } from '../../support/tempDir';

const repo = path.resolve(__dirname, '../../..');
const fixtures = path.resolve(repo, 'tests/fixtures');
const seedFile = path.join(fixtures, 'seed/conversation.txt');
const golden = (name: string) => readFileSync(path.join(fixtures, 'seed', name), 'utf8');

const cli = (...args: string[]) => runCli(args);

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
    const file = path.join(fixtures, 'locomo/26.json');
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
    const notAChat = path.join(fixtures, 'seed/expected-output.json');
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

describe('cli input size limit', () => {
  it('refuses a 1.2 GB file from its size, on one line naming the file and the limit', async () => {
    await withTempDir('dimmem-cli-huge-', async (dir) => {
      const huge = path.join(dir, 'huge-export.json');
      // A sparse file: 1.2 GB long (over the 1 GB limit), but no disk blocks written.
      await writeFile(huge, '');
      await truncate(huge, 1200 * 1024 * 1024);
      const [inspect, prompts] = await Promise.all([
        cli('inspect', huge, '--json'),
        cli('prompts', huge),
      ]);
      // The path as given, not the importer's base name: the size check ran before any reading.
      const expected = `dimmem: ${huge}: it is too large to import (1200.0 MB; the limit is 1024 MB)\n`;
      for (const run of [inspect, prompts]) {
        expectOneLineError(run, /too large/);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe(expected);
      }
    });
  });
});

describe('cli reads the .zip that ChatGPT and Claude send', () => {
  const chatGptJson = readFileSync(
    path.join(repo, 'tests/fixtures/import/chatgpt-conversations.json'),
  );

  it('imports the conversations.json inside, as if it had been unzipped', async () => {
    await withTempDir('dimmem-cli-zip-', async (dir) => {
      const unzipped = path.join(dir, 'conversations.json');
      const archive = path.join(dir, 'export.zip');
      const noExport = path.join(dir, 'photos.zip');
      const huge = path.join(dir, 'huge-export.zip');
      await writeFile(unzipped, chatGptJson);
      await writeFile(
        archive,
        zipSync({
          'conversations.json': new Uint8Array(chatGptJson),
          'chat.html': strToU8('<html></html>'),
          'user.json': strToU8('{}'),
          'dalle-generations/file-1.webp': new Uint8Array(32),
        }),
      );
      await writeFile(noExport, zipSync({ 'a.png': new Uint8Array(8) }));
      // A sparse file that starts like a zip: 3000 MB long, nothing of it written or read.
      await writeFile(huge, Uint8Array.of(0x50, 0x4b, 0x03, 0x04));
      await truncate(huge, 3000 * 1024 * 1024);
      const [fromZip, fromFile, withoutExport, tooLarge] = await Promise.all([
        cli('inspect', archive, '--json'),
        cli('inspect', unzipped, '--json'),
        cli('inspect', noExport),
        cli('inspect', huge),
      ]);

      expect(fromZip.code).toBe(0);
      expect(fromZip.stdout).toBe(fromFile.stdout);
      const json = JSON.parse(fromZip.stdout) as { format: string; conversations: unknown[] };
      expect(json.format).toBe('chatgpt-export');
      expect(json.conversations).toContainEqual(
        expect.objectContaining({ title: 'Lisbon trip planning' }),
      );
      expect(fromZip.stderr).toContain('reading export.zip › conversations.json\n');
      // The fixture's broken conversation is a warning naming the archive and the entry.
      expect(fromZip.stderr).toMatch(/warning: export\.zip › conversations\.json: conversation 2/);

      expectOneLineError(
        withoutExport,
        /^dimmem: photos\.zip: no chat export found in this \.zip archive: looked for conversations\.json .*; it holds a\.png\n$/,
      );
      expect(tooLarge.stderr).toBe(
        `dimmem: ${huge}: it is too large to open (3000.0 MB; the limit for a .zip archive is ` +
          '2048 MB): unzip it and import its conversations.json\n',
      );
    });
  });
});

/** DimMem lines of `count` user messages on 2024-03-04 (a Monday), one minute apart. */
function longChat(count: number, text: (index: number) => string): string {
  return Array.from({ length: count }, (_, index) => {
    const minute = String(index).padStart(2, '0');
    return `[2024-03-04T10:${minute}:00, Mon] ${index + 1}.User: ${text(index)}\n`;
  }).join('');
}

const promptTokensOf = (header: string) => Number(/, (\d+) prompt tokens #####$/.exec(header)![1]);

describe('cli windows use the token budget, as extract and the app do', () => {
  it('cuts a chat of long messages into more windows than the message count alone would', async () => {
    await withTempDir('dimmem-cli-long-', async (dir) => {
      const file = path.join(dir, 'long.txt');
      const sentence = 'We walked along the harbour and argued about where to live next year. ';
      await writeFile(
        file,
        longChat(20, (index) => `Day ${index + 1}. ${sentence.repeat(40)}`),
      );
      const [inspect, prompts] = await Promise.all([
        cli('inspect', file, '--json'),
        cli('prompts', file),
      ]);
      expect(inspect.code).toBe(0);
      expect(prompts.code).toBe(0);
      const [summary] = (JSON.parse(inspect.stdout) as InspectJsonShape).conversations;
      // By message count alone 20 messages make 2 windows (15, then 8 with overlap 3).
      expect(summary!.userMessages).toBe(20);
      expect(summary!.windows).toBeGreaterThan(2);

      const headers = prompts.stdout.split('\n').filter((line) => line.startsWith('##### '));
      expect(headers).toHaveLength(summary!.windows);
      for (const header of headers) expect(promptTokensOf(header)).toBeLessThanOrEqual(8192 - 3000);
      // Every message is still prompted: the last window ends with the last message.
      expect(headers.at(-1)).toMatch(/of 20 user messages \(m\d+–m19\)/);
    });
  });

  it('fails on one line when the seed cannot fit a 4096-token context with the 3000-token reserve', async () => {
    const run = await cli('prompts', seedFile, '--context-size', '4096');
    expectOneLineError(
      run,
      /User message 1 \(m0\) does not fit the context: .*3000-token answer reserve .*4096-token context.*--context-size/,
    );
    expect(run.code).toBe(1);
  });

  it('fits the seed into a 4096-token context with a 2000-token reserve, in two windows', async () => {
    const run = await cli(
      'prompts',
      seedFile,
      '--context-size',
      '4096',
      '--answer-reserve',
      '2000',
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const headers = run.stdout.split('\n').filter((line) => line.startsWith('##### '));
    // The default 15-message window would hold all 14 messages; this budget needs two.
    expect(headers).toHaveLength(2);
    for (const header of headers) expect(promptTokensOf(header)).toBeLessThanOrEqual(4096 - 2000);
    expect(headers[0]).toMatch(/window 0 of 0–1 · \d+ of 14 user messages \(m0–m\d+\), overlap 0/);
    expect(headers[1]).toMatch(/window 1 of 0–1 · \d+ of 14 user messages \(m\d+–m13\), overlap 3/);

    const inspect = await cli(
      'inspect',
      seedFile,
      '--json',
      '--context-size',
      '4096',
      '--answer-reserve',
      '2000',
    );
    expect((JSON.parse(inspect.stdout) as InspectJsonShape).conversations[0]!.windows).toBe(2);
  });

  it('refuses an answer reserve that leaves no room for a prompt, as a usage error', async () => {
    const run = await cli(
      'inspect',
      seedFile,
      '--context-size',
      '4096',
      '--answer-reserve',
      '4096',
    );
    expectOneLineError(
      run,
      /--answer-reserve 4096 leaves no room .* must be less than --context-size/,
    );
    expect(run.code).toBe(2);
  });
});

interface InspectJsonShape {
  conversations: { userMessages: number; windows: number }[];
}
