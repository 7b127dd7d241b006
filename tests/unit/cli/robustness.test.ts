import { existsSync } from 'node:fs';
import { copyFile, link, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { exitCodes, UsageError } from '../../../src/cli/command';
import type { ExtractDeps } from '../../../src/cli/commands/extract';
import { runExtractCommand } from '../../../src/cli/commands/extract';
import type { ExtractionRunSummary } from '../../../src/cli/extract/runExtraction';
import type { MemoryLine } from '../../../src/core/exchange/memoryLine';
import { importText } from '../../../src/core/import';
import { localTimeFromParts } from '../../../src/core/time/localTime';
import { runCli } from '../../support/cliProcess';
import { readJsonl } from '../../support/jsonLines';
import type { ChatCall, OpenAiTestServer, Reply } from '../../support/openaiServer';
import { quotingAnswer } from '../../support/openaiServerAnswers';
import { replaySeed, seedModel as model } from '../../support/seedRecording';
import { serverPerTest } from '../../support/serverPerTest';

/**
 * `extract` and the CLI fed what real users and real servers feed them (issue #13: 1, 2, 12, 13,
 * 17, 20, Retry-After, malformed answers, exit codes).
 */

const fixtures = path.resolve(__dirname, '../../fixtures');
const seedConversation = path.join(fixtures, 'seed/conversation.txt');
const sharegpt = path.join(fixtures, 'import/sharegpt.json');
const locomo = path.join(fixtures, 'locomo/30.json');

let workDir: string;
const servers = serverPerTest();

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-robust-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const serve = (
  respond: (call: ChatCall) => Reply | Promise<Reply>,
  models = [model],
): Promise<OpenAiTestServer> => servers.start({ respond, models });

interface Run {
  summary: ExtractionRunSummary | null;
  error: Error | null;
  notes: string[];
  sleeps: number[];
}

/** `extract` in this process; backoff delays are recorded, not waited for, unless `realSleep`. */
async function extract(
  args: string[],
  options: { baseUrl?: string; realSleep?: boolean; signal?: AbortSignal } = {},
): Promise<Run> {
  const run: Run = { summary: null, error: null, notes: [], sleeps: [] };
  const deps: ExtractDeps = {
    progress: { write: () => true, isTTY: false },
    env: {},
    signal: options.signal,
  };
  if (!options.realSleep) deps.sleep = async (ms) => void run.sleeps.push(ms);
  try {
    run.summary = await runExtractCommand(
      ['--model', model, '--base-url', options.baseUrl ?? servers.current!.baseUrl, ...args],
      { out: () => {}, note: (line) => run.notes.push(line) },
      deps,
    );
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    run.error = error;
  }
  return run;
}

const outPath = (name: string) => path.join(workDir, name);
const sideFiles = (out: string) =>
  [out, `${out}.rejected.jsonl`, `${out}.answers.jsonl`, `${out}.progress.json`].filter((file) =>
    existsSync(file),
  );

const sentPrompts = (s: OpenAiTestServer) =>
  s.chatRequests().map((r) => (r.body?.messages as { content: string }[])[0]!.content);

const cli = runCli;

describe('defaults that work against a real, slow server (1)', () => {
  it('with the default timeout, a server that takes 1.5 s per answer is waited for, streaming or not', async () => {
    const s = await serve((call) => ({ ...(replaySeed(call) as Reply), delayMs: 1500 }));
    const streamed = await extract([seedConversation, '--out', outPath('slow.jsonl')], {
      realSleep: true,
    });
    expect(streamed.error).toBeNull();
    expect(await readJsonl<MemoryLine>(outPath('slow.jsonl'))).toHaveLength(16);
    const whole = await extract(
      [seedConversation, '--out', outPath('slow-whole.jsonl'), '--no-stream'],
      { realSleep: true },
    );
    expect(whole.error).toBeNull();
    expect(await readJsonl<MemoryLine>(outPath('slow-whole.jsonl'))).toHaveLength(16);
    expect(s.chatRequests()).toHaveLength(2);
  }, 40_000);

  it('waits 2 s before the first retry by default, as documented', async () => {
    await serve((call) => (call.attempt === 0 ? { kind: 'error', status: 503 } : replaySeed(call)));
    const run = await extract([seedConversation, '--out', outPath('default-delay.jsonl')]);
    expect(run.error).toBeNull();
    expect(run.sleeps).toEqual([2000]);
  });
});

describe('--out never replaces the input (2)', () => {
  const input = () => outPath('export.txt');
  beforeAll(async () => {
    await copyFile(seedConversation, input());
  });

  it('refuses --out naming the input, even with --overwrite, and writes nothing', async () => {
    const s = await serve(replaySeed);
    const original = await readFile(input(), 'utf8');
    for (const out of [input(), path.relative(process.cwd(), input())]) {
      const run = await extract([input(), '--out', out, '--overwrite']);
      expect(run.error).toBeInstanceOf(UsageError);
      expect(run.error?.message).toMatch(/is the input file/);
    }
    expect(await readFile(input(), 'utf8')).toBe(original);
    expect(sideFiles(input())).toEqual([input()]);
    expect(s.chatRequests()).toHaveLength(0);
  });

  it('sees through a symbolic link and a hard link to the input', async () => {
    await serve(replaySeed);
    const original = await readFile(input(), 'utf8');
    const soft = outPath('soft.jsonl');
    const hard = outPath('hard.jsonl');
    await symlink(input(), soft);
    await link(input(), hard);
    for (const out of [soft, hard]) {
      const run = await extract([input(), '--out', out, '--overwrite']);
      expect(run.error?.message).toMatch(/is the input file/);
    }
    expect(await readFile(input(), 'utf8')).toBe(original);
  });

  it('refuses an --out whose side file (.rejected.jsonl, .answers.jsonl, .progress.json) is the input', async () => {
    await serve(replaySeed);
    for (const suffix of ['.rejected.jsonl', '.answers.jsonl', '.progress.json']) {
      const named = outPath(`run.jsonl${suffix}`);
      await copyFile(seedConversation, named);
      const run = await extract([named, '--out', outPath('run.jsonl'), '--overwrite']);
      expect(run.error).toBeInstanceOf(UsageError);
      expect(run.error?.message).toContain(`run.jsonl${suffix}`);
      expect(await readFile(named, 'utf8')).toBe(await readFile(seedConversation, 'utf8'));
      await rm(named);
    }
  });
});

describe('undated sources are stamped once per run (12)', () => {
  it('core reads no clock: an undated source needs the caller to say when "now" is', async () => {
    const text = await readFile(sharegpt, 'utf8');
    expect(() => importText('sharegpt.json', text)).toThrow(/ImportOptions\.now/);
    const now = localTimeFromParts(2025, 6, 1, 8, 0, 0);
    const first = importText('sharegpt.json', text, { now });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(importText('sharegpt.json', text, { now })).toEqual(first);
  });

  it('--undated-start dates the prompts of a ShareGPT file', async () => {
    const s = await serve(({ prompt }) => ({ kind: 'answer', text: quotingAnswer(prompt) }));
    const run = await extract([
      sharegpt,
      '--out',
      outPath('dated.jsonl'),
      '--undated-start',
      '2024-03-01T09:30',
    ]);
    expect(run.error).toBeNull();
    const prompts = sentPrompts(s);
    expect(prompts).toHaveLength(2);
    for (const prompt of prompts) expect(prompt).toContain('[2024-03-01T09:30:00');
    const memories = await readJsonl<MemoryLine>(outPath('dated.jsonl'));
    expect(memories.every((m) => m.messageTimestamp.startsWith('2024-03-01T09:30:00'))).toBe(true);
  });

  it('a --resume later sends the prompts the interrupted run planned, with the same stamps', async () => {
    const s = await serve(({ prompt, attempt }) =>
      prompt.includes('greyhound') || attempt > 0
        ? { kind: 'answer', text: quotingAnswer(prompt) }
        : { kind: 'error', status: 500, message: 'GPU on fire' },
    );
    const out = outPath('undated-resume.jsonl');
    const first = await extract([sharegpt, '--out', out, '--retries', '0']);
    expect(first.error?.message).toMatch(/1 of 2 windows failed/);
    const failedPrompt = sentPrompts(s).find((prompt) => !prompt.includes('greyhound'))!;
    // Stamps are whole seconds: after this, "now" is another second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const resumed = await extract([sharegpt, '--out', out, '--resume']);
    expect(resumed.error).toBeNull();
    expect(sentPrompts(s).at(-1)).toBe(failedPrompt);
    const stamps = new Set(
      (await readJsonl<MemoryLine>(out)).map((m) => m.messageTimestamp.slice(0, 19)),
    );
    expect(stamps.size).toBe(1);
  }, 15_000);

  it('refuses to resume with another --undated-start than the run was planned with', async () => {
    await serve(({ prompt }) => ({ kind: 'error', status: 500, message: prompt.slice(0, 5) }));
    const out = outPath('undated-mismatch.jsonl');
    await extract([sharegpt, '--out', out, '--retries', '0', '--undated-start', '2024-03-01']);
    const resumed = await extract([
      sharegpt,
      '--out',
      out,
      '--resume',
      '--undated-start',
      '2024-05-01',
    ]);
    expect(resumed.error?.message).toMatch(/that run used --undated-start 2024-03-01T00:00:00/);
  });

  it('refuses to resume with another --date-order than the run was planned with', async () => {
    await serve(({ prompt }) => ({ kind: 'error', status: 500, message: prompt.slice(0, 5) }));
    const transcript = outPath('numeric-dates.txt');
    await writeFile(
      transcript,
      '[03/04/2024 10:00] Anna: We moved to Porto last spring.\n[03/04/2024 10:05] Ben: Nice!\n',
    );
    const out = outPath('date-order-mismatch.jsonl');
    await extract([transcript, '--out', out, '--retries', '0', '--date-order', 'month-first']);
    const resumed = await extract([
      transcript,
      '--out',
      out,
      '--resume',
      '--date-order',
      'day-first',
    ]);
    expect(resumed.error?.message).toMatch(/that run used --date-order month-first/);
    const automatic = await extract([transcript, '--out', out, '--resume']);
    expect(automatic.error?.message).toMatch(/that run used --date-order month-first/);
  });

  it('inspect and prompts take --undated-start too, and a bad date is a usage error', async () => {
    const prompts = await cli([
      'prompts',
      sharegpt,
      '--conversation',
      'sharegpt:QWJhYtR_0',
      '--window',
      '0',
      '--undated-start',
      '2024-03-01',
    ]);
    expect(prompts.code).toBe(0);
    expect(prompts.stdout).toContain('[2024-03-01T00:00:00, Fri] 1.User: I just adopted');
    const inspect = await cli(['inspect', sharegpt, '--json', '--undated-start', '2024-03-01']);
    expect(inspect.code).toBe(0);
    const json = JSON.parse(inspect.stdout) as { conversations: { firstTimestamp: string }[] };
    expect(json.conversations.map((c) => c.firstTimestamp)).toEqual([
      '2024-03-01T00:00:00.000',
      '2024-03-01T00:00:00.000',
    ]);
    const bad = await cli(['inspect', sharegpt, '--undated-start', '1 March']);
    expect(bad.code).toBe(exitCodes.usage);
    expect(bad.stderr).toMatch(/--undated-start must be a date such as 2024-03-01/);
  }, 90_000);
});

describe('--timeout past the timer limit (13)', () => {
  it('is refused as a usage error naming the limit', async () => {
    await serve(replaySeed);
    const run = await extract([seedConversation, '--out', outPath('t.jsonl'), '--timeout', '3e6']);
    expect(run.error).toBeInstanceOf(UsageError);
    expect(run.error?.message).toMatch(/--timeout can be at most 2147483 seconds/);
    const atLimit = await extract([
      seedConversation,
      '--out',
      outPath('t-limit.jsonl'),
      '--timeout',
      '2147483',
    ]);
    expect(atLimit.error).toBeNull();
  });
});

describe('a failed start leaves nothing behind (17)', () => {
  it('after a wrong --model, the corrected command runs without --overwrite', async () => {
    await serve(replaySeed);
    const out = outPath('wrong-model.jsonl');
    const wrong = await extract([seedConversation, '--out', out, '--model', 'qwen3-4b']);
    expect(wrong.error?.message).toMatch(/does not serve model "qwen3-4b"/);
    expect(sideFiles(out)).toEqual([]);
    const corrected = await extract([seedConversation, '--out', out]);
    expect(corrected.error).toBeNull();
    expect(await readJsonl<MemoryLine>(out)).toHaveLength(16);
  });

  it('with the server down, nothing is created, and an earlier run is not deleted by --overwrite', async () => {
    await serve(replaySeed);
    const baseUrl = servers.current!.baseUrl;
    await servers.close();
    const out = outPath('down.jsonl');
    const down = await extract([seedConversation, '--out', out], { baseUrl });
    expect(down.error?.message).toMatch(/Could not reach/);
    expect(sideFiles(out)).toEqual([]);
    expect(down.notes.join('\n')).not.toMatch(/memories in/);

    await writeFile(out, 'earlier work\n');
    const overwrite = await extract([seedConversation, '--out', out, '--overwrite'], { baseUrl });
    expect(overwrite.error).not.toBeNull();
    expect(await readFile(out, 'utf8')).toBe('earlier work\n');
  });
});

describe('many windows at once (20)', () => {
  it('--concurrency 32 prints no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const s = await serve(({ prompt }) => ({
        kind: 'answer',
        text: quotingAnswer(prompt),
        delayMs: 150,
      }));
      const controller = new AbortController();
      const run = await extract([locomo, '--out', outPath('wide.jsonl'), '--concurrency', '32'], {
        signal: controller.signal,
      });
      expect(run.error).toBeNull();
      expect(s.maxInFlight).toBeGreaterThan(11);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
  });
});

describe('Retry-After and rejected answers', () => {
  it('waits as long as a 429 asks (Retry-After: 7), not the 2 s backoff', async () => {
    await serve((call) =>
      call.attempt === 0
        ? { kind: 'error', status: 429, headers: { 'Retry-After': '7' } }
        : replaySeed(call),
    );
    const run = await extract([seedConversation, '--out', outPath('retry-after.jsonl')]);
    expect(run.error).toBeNull();
    expect(run.sleeps).toEqual([7000]);
  });

  it('fails when no window succeeded, and --resume --retry-rejected asks again for those windows', async () => {
    let healthy = false;
    const s = await serve(({ prompt }) =>
      healthy
        ? { kind: 'answer', text: quotingAnswer(prompt) }
        : { kind: 'answer', text: 'Sorry, I cannot help with that.' },
    );
    const out = outPath('all-malformed.jsonl');
    const run = await extract([sharegpt, '--out', out]);
    expect(run.error?.message).toMatch(/no window succeeded: all 2 answers were malformed/);
    expect(run.error?.message).toMatch(/--retry-rejected/);

    healthy = true;
    const plain = await extract([sharegpt, '--out', out, '--resume']);
    expect(plain.error?.message).toMatch(/no window succeeded/);
    expect(s.chatRequests()).toHaveLength(2);

    const retried = await extract([sharegpt, '--out', out, '--resume', '--retry-rejected']);
    expect(retried.error).toBeNull();
    expect(s.chatRequests()).toHaveLength(4);
    expect(await readJsonl<MemoryLine>(out)).toHaveLength(3);
    expect(await readJsonl(`${out}.rejected.jsonl`)).toEqual([]);

    const alone = await extract([sharegpt, '--out', outPath('x.jsonl'), '--retry-rejected']);
    expect(alone.error).toBeInstanceOf(UsageError);
  });

  it('counts answers cut off at max_tokens after complete memories as succeeded', async () => {
    await serve(({ prompt }) => {
      const whole = quotingAnswer(prompt);
      // Cut inside the last memory: the ones before it are complete.
      return {
        kind: 'answer',
        text: whole.slice(0, whole.lastIndexOf('"source_id"')),
        finishReason: 'length',
      };
    });
    const out = outPath('cut-at-max-tokens.jsonl');
    const run = await extract([sharegpt, '--out', out]);
    expect(run.error).toBeNull();
    expect(run.summary?.malformedAnswers).toBe(2);
    expect(await readJsonl<MemoryLine>(out)).toHaveLength(1);
  });

  it('says no memories were written when the memories file was never created', async () => {
    await serve(() => ({ kind: 'error', status: 500, message: 'GPU on fire' }));
    const out = outPath('never-written.jsonl');
    const run = await extract([seedConversation, '--out', out, '--retries', '0']);
    expect(run.error?.message).toMatch(/no window succeeded/);
    expect(existsSync(out)).toBe(false);
    expect(run.notes.join('\n')).not.toMatch(/0 memories in/);
    expect(run.notes.join('\n')).toMatch(/no memories written/);
  });
});

describe('exit codes', () => {
  const serveExitCases = () =>
    serve(({ prompt }) =>
      prompt.includes('20-minute')
        ? { kind: 'error', status: 500, message: 'GPU on fire' }
        : { kind: 'answer', text: quotingAnswer(prompt), delayMs: 100 },
    );
  const extractArgs = (s: OpenAiTestServer) => [
    'extract',
    '--model',
    model,
    '--base-url',
    s.baseUrl,
    '--retries',
    '0',
  ];

  it('usage error 2, input error 1, and --help lists them', async () => {
    const base = extractArgs(await serveExitCases());
    const usage = await cli([...base, sharegpt]);
    expect(usage.code).toBe(exitCodes.usage);
    const input = await cli([...base, outPath('missing.json'), '--out', outPath('e1.jsonl')]);
    expect(input.code).toBe(exitCodes.input);
    const help = await cli(['extract', '--help']);
    expect(help.stdout).toMatch(/Exit status: 0 done, 1 input error, 2 usage error/);
  }, 90_000);

  it('server error 3 for a wrong model, partial failure 4 when some windows failed', async () => {
    const base = extractArgs(await serveExitCases());
    const wrongModel = await cli([
      ...base,
      sharegpt,
      '--out',
      outPath('e2.jsonl'),
      '--model',
      'other',
    ]);
    expect(wrongModel.code).toBe(exitCodes.server);
    const partial = await cli([...base, sharegpt, '--out', outPath('e3.jsonl')]);
    expect(partial.code).toBe(exitCodes.partial);
    expect(partial.stderr).toMatch(/1 of 2 windows failed/);
  }, 90_000);

  it('interrupted 130 after Ctrl-C', async () => {
    const base = extractArgs(await serveExitCases());
    let signalled = false;
    const interrupted = await cli(
      [...base, locomo, '--out', outPath('e4.jsonl'), '--concurrency', '1'],
      (stderr, child) => {
        // One Ctrl-C; a second one would end the process at once, as it should.
        if (!signalled && /window 1: /.test(stderr)) signalled = child.kill('SIGINT');
      },
    );
    expect(interrupted.code).toBe(exitCodes.interrupted);
    expect(interrupted.stderr).toMatch(/interrupted; run the same command with --resume/);
  }, 90_000);
});
