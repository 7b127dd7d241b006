import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAskCommand } from '../../../src/cli/commands/ask';
import { createSearchCommand } from '../../../src/cli/commands/search';
import type { SearchJson } from '../../../src/cli/search/formatResults';
import { captureIo } from '../../support/capturedCliIo';
import { runCli } from '../../support/cliProcess';
import { startOpenAiTestServer, type OpenAiTestServer } from '../../support/openaiServer';
import { FakeEmbedder } from '../../support/searchFakeEmbedder';
import { searchFixture } from '../../support/searchTestData';

const cli = (...args: string[]) => runCli(args);

let dir: string;
let memoriesFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-search-'));
  memoriesFile = path.join(dir, 'memories.jsonl');
  await copyFile(searchFixture, memoriesFile);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cli search', () => {
  it('ranks the fixture for a question, best first, with per-route scores (--no-embeddings)', async () => {
    const run = await cli(
      'search',
      memoriesFile,
      'What did I buy last week?',
      '--asked-on',
      '2023-09-10',
      '--no-embeddings',
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('question: What did I buy last week? (asked on 2023-09-10)');
    expect(lines[1]).toContain('time between 2023-08-28 and 2023-09-03');
    expect(lines[2]).toBe(
      'routes: bm25, structured; meaning route off (--no-embeddings); fusion concat',
    );
    expect(lines[4]).toBe(' 1. The user bought a used road bike for 450 euros on 2023-08-30.');
    expect(lines[6]).toMatch(/^ {4}structured #1 0\.60 \(type 1, time 1, phrases 0, words 0\)$/);
  }, 60_000);

  it("prints JSON with the analysis, the routes and each memory's scores", async () => {
    const run = await cli(
      'search',
      memoriesFile,
      'When did I last go to Paris?',
      '--asked-on',
      '2023-09-10',
      '--no-embeddings',
      '--json',
      '--top',
      '3',
      '--fusion',
      'rrf',
    );
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as SearchJson;
    expect(json.analysisBy).toBe('parser');
    expect(json.analysis.dimension.keywords).toEqual(['Paris']);
    expect(json.routes).toEqual({
      bm25: true,
      structured: true,
      minilm: false,
      minilmOff: '--no-embeddings',
    });
    expect(json.results).toHaveLength(3);
    expect(
      json.results
        .slice(0, 2)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['m-paris-2021', 'm-paris-2023']);
    expect(json.results[0]!.routes.map((r) => r.route)).toEqual(['bm25', 'structured']);
    expect(json.results[0]!.fusedScore).toBeCloseTo(2 / 61, 4);
  }, 60_000);

  it('offline, says the meaning route is off and ranks with the other two at once', async () => {
    const started = Date.now();
    const run = await cli(
      'search',
      memoriesFile,
      'Where did Anna move?',
      '--asked-on',
      '2023-09-10',
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^meaning route off: Xenova\/all-MiniLM-L6-v2 could not be loaded: /m,
    );
    expect(run.stdout).toContain('meaning route off (Xenova/all-MiniLM-L6-v2 could not be loaded');
    expect(run.stdout).toContain(" 1. The user's sister Anna moved to Berlin in March 2023.");
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 60_000);

  it('bad input: an empty question, a missing file, a file of another version, a line that is not a memory', async () => {
    const empty = await cli('search', memoriesFile, '   ');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/search: the question is empty/);
    const missing = await cli('search', path.join(dir, 'nope.jsonl'), 'dog', '--no-embeddings');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.jsonl: no such file/);
    const future = path.join(dir, 'future.jsonl');
    const line = JSON.parse((await readFile(memoriesFile, 'utf8')).split('\n')[0]!) as Record<
      string,
      unknown
    >;
    await writeFile(future, `${JSON.stringify({ ...line, version: 3 })}\n`);
    const other = await cli('search', future, 'dog', '--no-embeddings');
    expect(other.code).toBe(1);
    expect(other.stdout).toBe('');
    expect(other.stderr.trim().split('\n')).toHaveLength(1);
    expect(other.stderr).toMatch(
      /line 1 is a memory line of version 3; this dimmem reads versions 1 to 2/,
    );
    const mixed = path.join(dir, 'mixed.jsonl');
    await writeFile(
      mixed,
      `${(await readFile(memoriesFile, 'utf8')).split('\n')[0]}\n{"content": 5}\nnot json\n`,
    );
    const skipped = await cli('search', mixed, 'Paris', '--no-embeddings');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped line 2: /);
    expect(skipped.stderr).toMatch(/skipped line 3: not JSON/);
    expect(skipped.stdout).toContain('1. The user returned from a trip to Paris');
  }, 60_000);

  it('says when no memory matches', async () => {
    const run = await cli('search', memoriesFile, 'xylophone quarterly', '--no-embeddings');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No memory matches this question');
  }, 60_000);
});

describe('cli search: vectors cached beside the file', () => {
  it('embeds once, reuses the cache, re-embeds what changed and everything for another model', async () => {
    const file = path.join(dir, 'cached.jsonl');
    await copyFile(searchFixture, file);
    const fake = new FakeEmbedder();
    const search = createSearchCommand({ embedder: () => fake });
    const args = [file, 'Where did Anna move?', '--asked-on', '2023-09-10', '--json'];

    const first = captureIo();
    await search.run(args, first);
    expect(fake.embedded).toHaveLength(29 + 1);
    const json = JSON.parse(first.stdout) as SearchJson;
    expect(json.routes.minilm).toBe(true);
    expect(json.results[0]!.id).toBe('m-sister');
    expect(json.results.some((r) => r.routes.some((route) => route.route === 'minilm'))).toBe(true);
    expect((await stat(`${file}.vectors.bin`)).size).toBe(29 * 384 * 4);
    const header = JSON.parse(await readFile(`${file}.vectors.json`, 'utf8')) as {
      model: string;
      rows: unknown[];
    };
    expect(header.model).toBe('fake-hashing-embedder/v1');
    expect(header.rows).toHaveLength(29);

    fake.embedded = [];
    const second = captureIo();
    await search.run(args, second);
    expect(fake.embedded).toEqual(['Where did Anna move?']);
    expect(second.stdout).toBe(first.stdout);

    // One memory edited: only it is embedded again.
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[0] = lines[0]!.replace('ate many croissants', 'ate many pains au chocolat');
    await writeFile(file, lines.join('\n'));
    fake.embedded = [];
    await search.run(args, captureIo());
    expect(fake.embedded).toHaveLength(2);
    expect(fake.embedded[0]).toContain('pains au chocolat');

    // Another model: every vector again.
    const other = new FakeEmbedder('another-model/v2');
    await createSearchCommand({ embedder: () => other }).run(args, captureIo());
    expect(other.embedded).toHaveLength(30);
    const rewritten = JSON.parse(await readFile(`${file}.vectors.json`, 'utf8')) as {
      model: string;
    };
    expect(rewritten.model).toBe('another-model/v2');
  });

  it('a damaged cache is recomputed, not trusted', async () => {
    const file = path.join(dir, 'damaged.jsonl');
    await copyFile(searchFixture, file);
    const fake = new FakeEmbedder();
    const search = createSearchCommand({ embedder: () => fake });
    await search.run([file, 'dog', '--json'], captureIo());
    await writeFile(`${file}.vectors.bin`, new Uint8Array(100));
    fake.embedded = [];
    await search.run([file, 'dog', '--json'], captureIo());
    expect(fake.embedded).toHaveLength(30);
  });
});

describe('cli ask against an OpenAI-compatible server', () => {
  let server: OpenAiTestServer;
  let analysisReply: string;
  const modelAnalysis = {
    query_anchor: "Where did the user's sister Anna move?",
    need_assistant_context: false,
    dimension: {
      target_memory_type: ['fact'],
      keywords: ['Anna', 'sister'],
      time: '',
      location: '',
    },
    answer_dim: 'location',
  };

  /** `ask`'s arguments: the fixture, `question`, the server and the model, then `more`. */
  const askArgs = (question: string, baseUrl: string, model: string, ...more: string[]) => [
    memoriesFile,
    question,
    '--base-url',
    baseUrl,
    '--model',
    model,
    ...more,
  ];

  beforeAll(async () => {
    server = await startOpenAiTestServer({
      models: ['qwen3-4b'],
      respond: ({ prompt }) => {
        if (prompt.includes('You are a memory query parser.'))
          return { kind: 'answer', text: analysisReply };
        const rank =
          /\[(\d+)\]\nsource_time: [^\n]*\ncontent: The user's sister Anna/.exec(prompt)?.[1] ??
          '99';
        return {
          kind: 'answer',
          text: `Reasoning: Memory [${rank}] says so.\nAnswer: Berlin [${rank}]`,
        };
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('analyses the question with the schema, answers with citations, labelled with the model', async () => {
    analysisReply = JSON.stringify(modelAnalysis);
    const run = await cli(
      'ask',
      ...askArgs(
        'Where did my sister move?',
        server.baseUrl,
        'qwen3-4b',
        '--asked-on',
        '2023-09-10',
        '--no-embeddings',
      ),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [analysisRequest, answerRequest] = server.chatRequests().slice(-2);
    expect(analysisRequest!.body!.temperature).toBe(0);
    const format = analysisRequest!.body!.response_format as {
      type: string;
      json_schema: { schema: { required: string[] } };
    };
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.schema.required).toEqual([
      'query_anchor',
      'need_assistant_context',
      'dimension',
      'answer_dim',
    ]);
    const answerPrompt = (answerRequest!.body!.messages as { content: string }[])[0]!.content;
    expect(answerPrompt).toContain(
      '- Cite the memories you used by their numbers in square brackets',
    );
    expect(answerPrompt).toContain('Question Date:2023/09/10 (Sun)');
    expect(answerRequest!.body!.response_format).toBeUndefined();
    expect(run.stdout).toMatch(
      /^answer \(written by qwen3-4b at http:\/\/127\.0\.0\.1:\d+\/v1\): Berlin \[1\]\n/,
    );
    expect(run.stdout).toContain(
      "cited:\n  [1] The user's sister Anna moved to Berlin in March 2023. (m-sister)",
    );
    expect(run.stdout).toContain('understood (qwen3-4b):');
  }, 60_000);

  it("an analysis off the schema is reported and the parser's reading used; --reference-prompt sends the reference prompt", async () => {
    analysisReply = '{"query_anchor": "sister", "dimension": {"time": "last year"}}';
    const io = captureIo();
    await createAskCommand().run(
      askArgs(
        'Where did Anna move?',
        server.baseUrl,
        'qwen3-4b',
        '--asked-on',
        '2023-09-10',
        '--no-embeddings',
        '--json',
        '--reference-prompt',
      ),
      io,
    );
    const json = JSON.parse(io.stdout) as {
      analysisBy: string;
      rejectedAnalysis: { error: string };
      answer: string;
      citations: { id: string }[];
      model: string;
      promptStyle: string;
    };
    expect(json.analysisBy).toBe('parser');
    expect(json.rejectedAnalysis.error).toMatch(
      /does not fit its schema: .*need_assistant_context/,
    );
    expect(io.notes.some((note) => /qwen3-4b's query analysis was not used/.test(note))).toBe(true);
    expect(json.model).toBe('qwen3-4b');
    expect(json.promptStyle).toBe('reference');
    expect(json.citations[0]!.id).toBe('m-sister');
    const answerPrompt = (server.chatRequests().at(-1)!.body!.messages as { content: string }[])[0]!
      .content;
    expect(answerPrompt).not.toContain('Cite the memories');
  });

  it('a model the server does not serve, or no server: a clear error, exit 3', async () => {
    const wrong = await cli('ask', ...askArgs('dog', server.baseUrl, 'gpt-9', '--no-embeddings'));
    expect(wrong.code).toBe(3);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(/gpt-9/);
    const nobody = await cli(
      'ask',
      ...askArgs('dog', 'http://127.0.0.1:9/v1', 'x', '--no-embeddings'),
    );
    expect(nobody.code).toBe(3);
    expect(nobody.stderr).toMatch(/Could not reach http:\/\/127\.0\.0\.1:9\/v1/);
    const usage = await cli('ask', memoriesFile, 'dog', '--no-embeddings');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/missing --base-url/);
  }, 60_000);
});
