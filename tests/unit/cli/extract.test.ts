import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { UsageError } from '../../../src/cli/command';
import type { ExtractDeps } from '../../../src/cli/commands/extract';
import { runExtractCommand } from '../../../src/cli/commands/extract';
import { planExtraction } from '../../../src/cli/extract/extractionPlan';
import type { RejectedRecord } from '../../../src/cli/extract/rejectedRecord';
import type { ExtractionRunSummary } from '../../../src/cli/extract/runExtraction';
import { userMessages } from '../../../src/core/conversation';
import type { MemoryLine } from '../../../src/core/exchange/memoryLine';
import { memoryLineSchema } from '../../../src/core/exchange/memoryLine';
import { importBytes } from '../../../src/core/import';
import { answerJsonSchema } from '../../../src/core/schema/jsonSchema';
import {
  defaultTokenBudget,
  defaultWindowSettings,
  loadQwen3TokenCounter,
  qwen3ChatPrompt,
} from '../../../src/core/windows';
import { readJsonl } from '../../support/jsonLines';
import type { ChatCall, OpenAiTestServer, Reply } from '../../support/openaiServer';
import { quotingAnswer, readPrompt } from '../../support/openaiServerAnswers';
import {
  replaySeed,
  seedAnswer,
  seedModel as model,
  seedPrompt,
} from '../../support/seedRecording';
import { serverPerTest } from '../../support/serverPerTest';

const repoRoot = path.resolve(__dirname, '../../..');
const dataDir = path.resolve(__dirname, '../../fixtures');
const seedConversation = path.join(dataDir, 'seed/conversation.txt');
const locomo = path.join(dataDir, 'locomo/30.json');

/**
 * Text that occurs in exactly one window's prompt of locomo/30.json (overlap included), so the
 * server can misbehave for that one window; `timeout` lies in an earlier window than `broken`.
 */
const sentinel = { timeout: '', broken: '' };

async function pickSentinels(): Promise<void> {
  const result = importBytes('30.json', await readFile(locomo));
  const { jobs } = planExtraction(
    result.conversations,
    { windows: defaultWindowSettings, budget: defaultTokenBudget, variant: 'card' },
    await loadQwen3TokenCounter(),
  );
  const users = result.conversations.flatMap((conversation) => userMessages(conversation));
  const inOneWindow = users
    .map((message) => message.text.trim().slice(0, 40))
    .filter((text) => text.length === 40)
    .filter((text) => jobs.filter((job) => job.prompt.includes(text)).length === 1);
  const windowOf = (text: string) => jobs.findIndex((job) => job.prompt.includes(text));
  sentinel.timeout = inOneWindow.find((text) => windowOf(text) >= 2)!;
  sentinel.broken = inOneWindow.find((text) => windowOf(text) > windowOf(sentinel.timeout))!;
  expect(windowOf(sentinel.broken)).toBeGreaterThan(windowOf(sentinel.timeout));
}

let workDir: string;
const servers = serverPerTest();

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-extract-'));
  await pickSentinels();
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const serve = (respond: (call: ChatCall) => Reply | Promise<Reply>): Promise<OpenAiTestServer> =>
  servers.start({ respond, models: [model] });

interface CliRun {
  summary: ExtractionRunSummary | null;
  error: Error | null;
  notes: string[];
  progress: string;
  sleeps: number[];
}

async function extract(
  args: string[],
  deps: Partial<ExtractDeps> & { tty?: boolean } = {},
): Promise<CliRun> {
  const run: CliRun = { summary: null, error: null, notes: [], progress: '', sleeps: [] };
  try {
    run.summary = await runExtractCommand(
      ['--model', model, '--base-url', servers.current!.baseUrl, ...args],
      { out: () => {}, note: (line) => run.notes.push(line) },
      {
        progress: { write: (text: string) => (run.progress += text), isTTY: deps.tty ?? false },
        env: deps.env ?? {},
        // Backoff delays are recorded, not waited for.
        sleep: async (ms) => void run.sleeps.push(ms),
        signal: deps.signal,
      },
    );
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    run.error = error;
  }
  return run;
}

const outPath = (name: string) => path.join(workDir, name);

async function locomoUserMessageIds(): Promise<string[]> {
  const result = importBytes('30.json', await readFile(locomo));
  return result.conversations.flatMap((conversation) =>
    userMessages(conversation).map((message) => `${conversation.id}/${message.id}`),
  );
}

describe('extract on the seed conversation (recorded answer)', () => {
  it('sends exactly the body vLLM expects and writes the 16 recorded memories with provenance', async () => {
    const s = await serve(replaySeed);
    const out = outPath('seed.jsonl');
    const run = await extract([seedConversation, '--out', out]);
    expect(run.error).toBeNull();

    const [request] = s.chatRequests();
    const counter = await loadQwen3TokenCounter();
    const promptTokens = counter.count(qwen3ChatPrompt(seedPrompt));
    expect(request?.body).toEqual({
      model,
      messages: [{ role: 'user', content: seedPrompt }],
      temperature: 0,
      max_tokens: 8192 - promptTokens,
      chat_template_kwargs: { enable_thinking: false },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'dimmem_memories', schema: answerJsonSchema, strict: true },
      },
      stream: true,
      stream_options: { include_usage: true },
    });

    const memories = await readJsonl<MemoryLine>(out);
    const recorded = (
      JSON.parse(seedAnswer) as { memories: { source_id: number; content: string }[] }
    ).memories;
    expect(memories).toHaveLength(16);
    // Exactly the shared memory line, with no field outside it.
    const exactLine = z.strictObject(memoryLineSchema.shape);
    expect(memories.filter((m) => !exactLine.safeParse(m).success)).toEqual([]);
    expect(memories.map((m) => m.content)).toEqual(recorded.map((m) => m.content.trim()));
    const first = memories[0]!;
    expect(first).toMatchObject({
      version: 1,
      windowIndex: 0,
      indexInWindow: 0,
      sourceIdInWindow: 1,
      messageTimestamp: '2023-04-23T08:57:00.500000',
      model,
    });
    expect(first.messageText).toMatch(/^interested in seeing a Broadway - style show/);
    expect(new Set(memories.map((m) => m.id)).size).toBe(16);
    expect(new Set(memories.map((m) => m.conversationId)).size).toBe(1);

    const answers = await readJsonl<{ answer: string }>(`${out}.answers.jsonl`);
    expect(answers.map((a) => a.answer)).toEqual([seedAnswer]);
  });

  it('keeps a memory whose time is not a date, and lists it as a time-warning', async () => {
    const answer = JSON.parse(seedAnswer) as { memories: { dimension: { time: string } }[] };
    answer.memories[0]!.dimension.time = 'spring 2023';
    await serve((call) =>
      call.prompt === seedPrompt
        ? { kind: 'answer', text: JSON.stringify(answer) }
        : { kind: 'error', status: 400, message: 'unexpected prompt' },
    );
    const out = outPath('seed-time-warning.jsonl');
    const run = await extract([seedConversation, '--out', out]);
    expect(run.error).toBeNull();
    const memories = await readJsonl<MemoryLine>(out);
    expect(memories).toHaveLength(16);
    expect(memories[0]).toMatchObject({ time: 'spring 2023', timeStart: null, timeEnd: null });
    const warnings = (await readJsonl<RejectedRecord>(`${out}.rejected.jsonl`)).filter(
      (record) => record.kind === 'time-warning',
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ windowIndex: 0, raw: answer.memories[0] });
    expect(run.summary?.timeWarnings).toBe(1);
    expect(run.notes.join('\n')).toMatch(/1 memory has a time that is not a date/);
  });

  it('gives the same file, ids included, when run again from scratch', async () => {
    await serve(replaySeed);
    const out = outPath('seed-again.jsonl');
    await extract([seedConversation, '--out', out]);
    const firstText = await readFile(out, 'utf8');
    const again = await extract([seedConversation, '--out', out, '--overwrite', '--no-stream']);
    expect(again.error).toBeNull();
    expect(await readFile(out, 'utf8')).toBe(firstText);
  });

  it('resumes a finished run without asking the server again', async () => {
    const s = await serve(replaySeed);
    const out = outPath('seed-finished.jsonl');
    await extract([seedConversation, '--out', out]);
    const text = await readFile(out, 'utf8');
    const resumed = await extract([seedConversation, '--out', out, '--resume']);
    expect(resumed.error).toBeNull();
    expect(resumed.notes.join('\n')).toMatch(/already done/);
    expect(s.chatRequests()).toHaveLength(1);
    expect(await readFile(out, 'utf8')).toBe(text);
  });

  it('refuses to write over an earlier run unless told to resume or overwrite', async () => {
    await serve(replaySeed);
    const out = outPath('seed-exists.jsonl');
    await writeFile(out, 'earlier work\n');
    const run = await extract([seedConversation, '--out', out]);
    expect(run.error?.message).toMatch(/--resume/);
    expect(await readFile(out, 'utf8')).toBe('earlier work\n');
  });

  it('sends the key from the named environment variable, and never accepts a missing one', async () => {
    const s = await serve(replaySeed);
    const run = await extract(
      [seedConversation, '--out', outPath('seed-key.jsonl'), '--api-key-env', 'DIMMEM_KEY'],
      { env: { DIMMEM_KEY: 'k-123' } },
    );
    expect(run.error).toBeNull();
    expect(s.chatRequests()[0]?.headers.authorization).toBe('Bearer k-123');
    const missing = await extract(
      [seedConversation, '--out', outPath('seed-nokey.jsonl'), '--api-key-env', 'NOT_SET'],
      { env: {} },
    );
    expect(missing.error).toBeInstanceOf(UsageError);
  });

  it('refuses a 1.2 GB input from its size, before reading it or asking the server', async () => {
    const s = await serve(replaySeed);
    const huge = outPath('huge-export.json');
    await writeFile(huge, '');
    await truncate(huge, 1200 * 1024 * 1024); // sparse: nothing written, nothing allocated
    const out = outPath('huge.jsonl');
    const run = await extract([huge, '--out', out]);
    expect(run.error?.message).toBe(
      `${huge}: it is too large to import (1200.0 MB; the limit is 1024 MB)`,
    );
    expect(s.chatRequests()).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
    await rm(huge);
  });

  it('reports wrong arguments as usage errors', async () => {
    await serve(replaySeed);
    const noOut = await extract([seedConversation]);
    expect(noOut.error).toBeInstanceOf(UsageError);
    expect(noOut.error?.message).toMatch(/--out/);
    const badGuided = await extract([
      seedConversation,
      '--out',
      outPath('x.jsonl'),
      '--guided',
      'magic',
    ]);
    expect(badGuided.error?.message).toMatch(/json-schema/);
    const noRoom = await extract([
      seedConversation,
      '--out',
      outPath('x.jsonl'),
      '--context-size',
      '2048',
      '--answer-reserve',
      '3000',
    ]);
    expect(noRoom.error).toBeInstanceOf(UsageError);
    expect(noRoom.error?.message).toMatch(/--answer-reserve 3000 leaves no room/);
  });
});

describe('extract on a LoCoMo conversation (answers generated from each prompt)', () => {
  it('runs windows concurrently up to --concurrency and sources every user message exactly once', async () => {
    // Uneven delays, so windows finish out of order.
    const s = await serve(({ prompt }) => ({
      kind: 'answer',
      text: quotingAnswer(prompt),
      delayMs: 10 + (prompt.length % 50),
    }));
    const out = outPath('locomo.jsonl');
    const run = await extract([locomo, '--out', out, '--concurrency', '3']);
    expect(run.error).toBeNull();
    expect(s.maxInFlight).toBe(3);

    const memories = await readJsonl<MemoryLine>(out);
    const sourced = memories.map((m) => `${m.conversationId}/${m.messageId}`);
    expect(sourced).toEqual(await locomoUserMessageIds());
    // Deterministic order: by window, whatever order the windows finished in.
    const windows = memories.map((m) => m.windowIndex);
    expect(windows).toEqual([...windows].sort((a, b) => a - b));
    expect(run.summary?.windowsDone).toBe(s.chatRequests().length);
    // Keywords come out deduplicated, as normalization does in the app.
    expect(memories[0]?.keywords).toEqual(['test']);
  });

  it('shows progress: plain lines when not a terminal, a bar redrawn in place on one', async () => {
    await serve(({ prompt }) => ({ kind: 'answer', text: quotingAnswer(prompt) }));
    const plain = await extract([locomo, '--out', outPath('progress-lines.jsonl')]);
    const lines = plain.progress.trim().split('\n');
    expect(lines.at(-1)).toMatch(/ — (\d+)\/\1 windows · 185 memories · \d+ tok\/s$/);
    expect(plain.progress).not.toContain('\r');

    const bar = await extract([locomo, '--out', outPath('progress-bar.jsonl')], { tty: true });
    expect(bar.progress).toContain('\r\x1b[2K[');
    expect(bar.progress).toMatch(/█{24}\] (\d+)\/\1 windows · 185 memories/);
  });

  it('retries server errors and timeouts with exponential backoff, then reports windows that still fail', async () => {
    const s = await serve(({ prompt, attempt }) => {
      const isWindow0 = readPrompt(prompt).overlap === 0;
      if (isWindow0 && attempt < 2) return { kind: 'error', status: 503 };
      if (prompt.includes(sentinel.timeout) && attempt === 0) return { kind: 'hang' };
      if (prompt.includes(sentinel.broken))
        return { kind: 'error', status: 500, message: 'GPU on fire' };
      return { kind: 'answer', text: quotingAnswer(prompt) };
    });
    const out = outPath('retry.jsonl');
    const run = await extract([
      locomo,
      '--out',
      out,
      '--timeout',
      '0.3',
      '--retries',
      '3',
      '--retry-delay',
      '0.5',
      '--concurrency',
      '1',
    ]);
    // Window 0: two 503s then an answer (waits 500, 1000 ms); the timeout window: one retry (500);
    // the broken window: three retries (500, 1000, 2000) and then it is reported.
    expect(run.sleeps).toEqual([500, 1000, 500, 500, 1000, 2000]);
    expect(run.error?.message).toMatch(/1 of \d+ windows failed .*GPU on fire.*--resume/);
    const ledger = JSON.parse(await readFile(`${out}.progress.json`, 'utf8')) as {
      failed: Record<string, string>;
      finished: boolean;
    };
    expect(Object.values(ledger.failed)).toEqual([expect.stringContaining('GPU on fire')]);
    expect(ledger.finished).toBe(false);
    expect(run.notes.join('\n')).toContain(`${out}`);
    const brokenRequests = s
      .chatRequests()
      .filter((r) => JSON.stringify(r.body).includes(sentinel.broken));
    expect(brokenRequests).toHaveLength(4);

    // Once the server is healthy, --resume does only the failed window, and the file is whole.
    await servers.close();
    const healthy = await serve(({ prompt }) => ({ kind: 'answer', text: quotingAnswer(prompt) }));
    const resumed = await extract([locomo, '--out', out, '--resume']);
    expect(resumed.error).toBeNull();
    expect(healthy.chatRequests()).toHaveLength(1);
    const sourced = (await readJsonl<MemoryLine>(out)).map(
      (m) => `${m.conversationId}/${m.messageId}`,
    );
    expect(sourced).toEqual(await locomoUserMessageIds());
  });

  it('keeps malformed answers and invalid memories aside, and the good memories', async () => {
    await serve(({ prompt }) => {
      if (prompt.includes(sentinel.timeout))
        return { kind: 'answer', text: 'Sorry, I cannot help with that.' };
      if (prompt.includes(sentinel.broken)) {
        const answer = JSON.parse(quotingAnswer(prompt)) as {
          memories: { dimension: { memory_type: string } }[];
        };
        answer.memories[0]!.dimension.memory_type = 'opinion';
        return { kind: 'answer', text: JSON.stringify(answer) };
      }
      return { kind: 'answer', text: quotingAnswer(prompt) };
    });
    const out = outPath('malformed.jsonl');
    const run = await extract([locomo, '--out', out]);
    expect(run.error).toBeNull();
    expect(run.summary).toMatchObject({ malformedAnswers: 1, invalidMemories: 1, failures: [] });
    const rejected = await readJsonl<RejectedRecord>(`${out}.rejected.jsonl`);
    const answer = rejected.find((r) => r.kind === 'answer');
    expect(answer?.raw).toBe('Sorry, I cannot help with that.');
    const invalid = rejected.find((r) => r.kind === 'memory');
    expect(invalid?.reason).toMatch(/memory_type/);
    expect(run.notes.join('\n')).toMatch(
      /kept aside in .*rejected\.jsonl: 1 malformed answer, 1 invalid memory/,
    );
    // Every user message outside the two bad windows still has its memory.
    const all = await locomoUserMessageIds();
    const memories = await readJsonl<MemoryLine>(out);
    expect(memories.length).toBeLessThan(all.length);
    expect(memories.length).toBeGreaterThan(all.length - 30);
  });

  it('on --resume drops lines of windows that were not recorded as complete, and redoes only those', async () => {
    await serve(({ prompt }) => ({ kind: 'answer', text: quotingAnswer(prompt) }));
    const out = outPath('torn.jsonl');
    await extract([locomo, '--out', out]);
    const whole = await readFile(out, 'utf8');
    // Simulate a crash after window 2 was written but before the ledger said so, mid-line.
    const ledgerPath = `${out}.progress.json`;
    const ledger = JSON.parse(await readFile(ledgerPath, 'utf8')) as {
      completed: Record<string, unknown>;
    };
    const key = Object.keys(ledger.completed).find((k) => k.endsWith(',2]'))!;
    delete ledger.completed[key];
    await writeFile(ledgerPath, JSON.stringify(ledger));
    await writeFile(out, `${whole}{"conversationId":"half a li`);

    const s = servers.current!;
    const before = s.chatRequests().length;
    const resumed = await extract([locomo, '--out', out, '--resume']);
    expect(resumed.error).toBeNull();
    expect(s.chatRequests().length - before).toBe(1);
    expect(await readFile(out, 'utf8')).toBe(whole);
  });

  it('resumes a run planned with the old prompt form: unfinished windows restart in the new form, and it says so', async () => {
    await serve(({ prompt }) => ({ kind: 'answer', text: quotingAnswer(prompt) }));
    const out = outPath('old-form.jsonl');
    await extract([locomo, '--out', out]);
    // Make the ledger look like one written before prompt formats were recorded (format 1), with
    // windows 2 and 3 unfinished.
    const ledgerPath = `${out}.progress.json`;
    const ledger = JSON.parse(await readFile(ledgerPath, 'utf8')) as {
      identity: Record<string, unknown>;
      completed: Record<string, unknown>;
    };
    delete ledger.identity.promptFormat;
    for (const key of Object.keys(ledger.completed).filter((k) => /,[23]\]$/.test(k))) {
      delete ledger.completed[key];
    }
    await writeFile(ledgerPath, JSON.stringify(ledger));

    const s = servers.current!;
    const before = s.chatRequests().length;
    const resumed = await extract([locomo, '--out', out, '--resume']);
    expect(resumed.error).toBeNull();
    expect(resumed.notes.join('\n')).toMatch(
      /planned with prompt format 1; its 2 unfinished windows restart with format 2/,
    );
    const redone = s.chatRequests().slice(before);
    expect(redone).toHaveLength(2);
    for (const request of redone) {
      const prompt = (request.body?.messages as { content: string }[])[0]!.content;
      expect(prompt).toContain('outside the JSON.\n\n========================\nInput and Overlap');
      expect(prompt).not.toContain('outside the JSON.\n\n\n=====');
    }
    const saved = JSON.parse(await readFile(ledgerPath, 'utf8')) as {
      identity: { promptFormat: number };
    };
    expect(saved.identity.promptFormat).toBe(2);
  });

  it('after the process is killed mid-run, --resume finishes with the same file as an uninterrupted run', async () => {
    const s = await serve(({ prompt }) => ({
      kind: 'answer',
      text: quotingAnswer(prompt),
      delayMs: 60,
    }));
    const reference = outPath('uninterrupted.jsonl');
    const referenceRun = await extract([locomo, '--out', reference, '--concurrency', '2']);
    expect(referenceRun.error).toBeNull();
    const total = referenceRun.summary!.windowsTotal;

    const out = outPath('killed.jsonl');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'extract',
        locomo,
        '--model',
        model,
        '--base-url',
        s.baseUrl,
        '--out',
        out,
        '--concurrency',
        '2',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const completedSoFar = async () => {
      if (!existsSync(`${out}.progress.json`)) return 0;
      try {
        const ledger = JSON.parse(await readFile(`${out}.progress.json`, 'utf8')) as {
          completed: Record<string, unknown>;
        };
        return Object.keys(ledger.completed).length;
      } catch {
        return 0;
      }
    };
    while ((await completedSoFar()) < 3) {
      if (child.exitCode !== null) throw new Error(`the CLI ended early: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const doneBeforeKill = await completedSoFar();
    expect(doneBeforeKill).toBeLessThan(total);

    const requestsBefore = s.chatRequests().length;
    const resumed = await extract([locomo, '--out', out, '--resume', '--concurrency', '2']);
    expect(resumed.error).toBeNull();
    expect(resumed.summary?.windowsAlreadyDone).toBe(doneBeforeKill);
    expect(s.chatRequests().length - requestsBefore).toBe(total - doneBeforeKill);
    expect(await readFile(out, 'utf8')).toBe(await readFile(reference, 'utf8'));
    expect(await readFile(`${out}.rejected.jsonl`, 'utf8').catch(() => '')).toBe(
      await readFile(`${reference}.rejected.jsonl`, 'utf8').catch(() => ''),
    );
  }, 60_000);
});
