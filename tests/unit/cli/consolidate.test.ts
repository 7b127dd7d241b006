import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/cli/command';
import type { PairJson } from '../../../src/cli/consolidate/pairReport';
import { parseMemoryLine } from '../../../src/core/exchange/memoryLine';
import { runCli } from '../../support/cliProcess';
import { FakeEmbedder } from '../../support/searchFakeEmbedder';
import { serverPerTest } from '../../support/serverPerTest';
import { withTempDir } from '../../support/tempDir';
import { consolidateFixture } from '../core/consolidate/fixtureMemories';
import { consolidate, decisions, jsonLines, MODEL, modelLabel } from './consolidateSupport';

const server = serverPerTest();

describe('cli consolidate', () => {
  it('--dry-run --json prints the pairs, older first, with rule decisions, and writes nothing', async () => {
    const run = await runCli([
      'consolidate',
      consolidateFixture,
      '--dry-run',
      '--json',
      '--no-embeddings',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout) as { pairs: PairJson[] };
    expect(Object.keys(json)).toEqual(['pairs']);
    expect(json.pairs.map((pair) => [pair.a, pair.b, pair.method])).toEqual([
      ['mem-berlin-1', 'mem-berlin-2', 'lexical'],
      ['mem-caroline-puppy-1', 'mem-caroline-puppy-2', 'lexical'],
      ['mem-coffee-1', 'mem-coffee-2', 'lexical'],
      ['mem-carbonara-1', 'mem-carbonara-2', 'lexical'],
      ['mem-sister-1', 'mem-sister-2', 'lexical'],
      ['mem-berlin-1', 'mem-lisbon', 'lexical'],
      ['mem-berlin-2', 'mem-lisbon', 'lexical'],
    ]);
    expect(Object.keys(json.pairs[0]!)).toEqual(['a', 'b', 'similarity', 'method', 'decision']);
    expect(json.pairs[0]!.decision).toMatchObject({
      decision: 'MERGE',
      by: 'rule: exact duplicate',
      result: expect.stringMatching(/^consolidated-/) as unknown,
    });
    expect(json.pairs.slice(3).map((pair) => pair.decision)).toEqual([null, null, null, null]);
    expect(json.pairs[5]!.similarity).toBe(0.6667);
  }, 60_000);

  it('--dry-run with a model prints its decisions, labelled with the model, and writes nothing', async () => {
    await withTempDir('dimmem-consolidate-', async (dir) => {
      const fake = await server.start({ respond: decisions, models: [MODEL] });
      const { io, error } = await consolidate([
        consolidateFixture,
        '--dry-run',
        '--base-url',
        fake.baseUrl,
        '--model',
        MODEL,
      ]);
      expect(error).toBeNull();
      expect(io.stdout).toContain(
        'tests/fixtures/consolidate/memories.jsonl: 18 current memories, 7 candidate pairs (embedding cosine ≥ 0.7)',
      );
      const carbonara = io.stdout
        .split('\n')
        .find((line) => line.startsWith('mem-carbonara-1 → mem-carbonara-2'));
      expect(carbonara).toMatch(/ {2}similarity 0\.85: MERGE by .+ → consolidated-[0-9a-f]{14}$/);
      // Labelled with the model and the server that served it.
      expect(carbonara).toContain(`: MERGE by ${modelLabel(fake.baseUrl)} → consolidated-`);
      expect(io.stdout).toContain(
        '  merged The user tried and loved the Spaghetti Carbonara at Bella Vita.\n',
      );
      expect(io.stdout).toContain('kept: an edited memory is never changed automatically');
      // One model call: the rule pairs need none, the Berlin pairs wait, the edited pair is kept.
      const calls = fake.chatRequests();
      expect(calls).toHaveLength(1);
      expect(calls[0]!.body).toMatchObject({
        model: MODEL,
        temperature: 0,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'dimmem_consolidation_decision', strict: true },
        },
      });
      const prompt = (calls[0]!.body!.messages as { content: string }[])[0]!.content;
      expect(prompt).toContain(
        'Memory A (newer, recorded at 2023-04-27T13:38:00.500000):\n  Content: The user tried the Spaghetti Carbonara at Bella Vita and loved it.',
      );
      expect(await stat(path.join(dir, 'out.jsonl')).catch(() => null)).toBeNull();
    });
  });

  it('--out writes every memory: originals as earlier versions, merges as new memories; a second run supersedes', async () => {
    await withTempDir('dimmem-consolidate-', async (dir) => {
      const fake = await server.start({ respond: decisions, models: [MODEL] });
      const out = path.join(dir, 'pass1.jsonl');
      const model = ['--base-url', fake.baseUrl, '--model', MODEL];
      const first = await consolidate([consolidateFixture, '--out', out, ...model]);
      expect(first.error).toBeNull();
      expect(first.io.notes).toContain(`wrote ${out}: 22 memories, 14 current, 8 earlier versions`);
      const input = (await readFile(consolidateFixture, 'utf8')).trimEnd().split('\n');
      const written = (await readFile(out, 'utf8')).trimEnd().split('\n');
      expect(written).toHaveLength(22);
      // Memories consolidation left alone are written byte for byte.
      const untouched = input.filter(
        (line) => !/mem-(berlin-[12]|coffee|caroline|carbonara)/.test(line),
      );
      for (const line of untouched) expect(written).toContain(line);
      const lines = jsonLines(written.join('\n'));
      const byId = new Map(lines.map((line) => [line.id as string, line]));
      const carbonara = lines.find((line) =>
        (line.mergedFrom as string[] | undefined)?.includes('mem-carbonara-1'),
      )!;
      expect(carbonara).toMatchObject({
        version: 2,
        content: 'The user tried and loved the Spaghetti Carbonara at Bella Vita.',
        mergedFrom: ['mem-carbonara-1', 'mem-carbonara-2'],
        location: 'Bella Vita restaurant',
        messageTimestamp: '2023-04-27T13:38:00.500000',
        windowIndex: 1,
      });
      expect(byId.get('mem-carbonara-1')).toMatchObject({
        version: 2,
        supersededBy: carbonara.id,
        content: 'The user tried Spaghetti Carbonara at Bella Vita.',
      });
      expect(byId.get('mem-carbonara-1')!.validUntil).toBeUndefined();
      // Each new memory says what made it, who decided and why.
      expect(carbonara).toMatchObject({
        decision: 'MERGE',
        decidedBy: modelLabel(fake.baseUrl),
        decisionReasoning: 'MERGE: decided by the test server',
      });
      expect(lines.filter((line) => line.decidedBy !== undefined)).toHaveLength(4);
      const coffee = lines.find((line) =>
        (line.mergedFrom as string[] | undefined)?.includes('mem-coffee-1'),
      );
      expect(coffee).toMatchObject({
        decision: 'MERGE',
        decidedBy: 'rule: near-exact duplicate',
        decisionReasoning:
          'same person, type and keywords; the texts differ only in case, punctuation or spacing',
      });
      // The originals are not decisions: they carry none.
      expect(byId.get('mem-carbonara-1')).not.toHaveProperty('decidedBy');
      // Every line reads back with the shared reader.
      for (const line of written) expect(() => parseMemoryLine(line)).not.toThrow();

      // The next pass: the merged Berlin memory meets Lisbon; the newer fact wins.
      const second = path.join(dir, 'pass2.jsonl');
      const again = await consolidate([out, '--out', second, '--json', ...model]);
      expect(again.error).toBeNull();
      const { pairs } = JSON.parse(again.io.stdout) as { pairs: PairJson[] };
      const berlin = lines.find((line) =>
        (line.mergedFrom as string[] | undefined)?.includes('mem-berlin-1'),
      )!;
      const supersede = pairs.find((pair) => pair.b === 'mem-lisbon')!;
      expect(supersede).toMatchObject({ a: berlin.id, method: 'embedding' });
      expect(supersede.decision).toMatchObject({
        decision: 'SUPERSEDE',
        by: modelLabel(fake.baseUrl),
      });
      const next = new Map(
        jsonLines(await readFile(second, 'utf8')).map((line) => [line.id as string, line]),
      );
      expect(next.get(berlin.id as string)).toMatchObject({
        supersededBy: supersede.decision!.result,
        validUntil: '2023-05-10T00:00:00',
      });
      expect(next.get(supersede.decision!.result!)).toMatchObject({
        content: 'The user lives in Lisbon.',
        mergedFrom: [berlin.id, 'mem-lisbon'],
        decision: 'SUPERSEDE',
        decidedBy: modelLabel(fake.baseUrl),
        decisionReasoning: 'SUPERSEDE: decided by the test server',
      });
      // The first pass's rule merge keeps its label as an earlier version.
      expect(next.get(berlin.id as string)).toMatchObject({
        decision: 'MERGE',
        decidedBy: 'rule: exact duplicate',
      });
      // The first pass's history is still there.
      expect(next.get('mem-berlin-1')).toMatchObject({ supersededBy: berlin.id });
      expect(next.size).toBe(23);
    });
  });

  it('a server that cannot be reached fails with exit 3 and writes nothing', async () => {
    await withTempDir('dimmem-consolidate-', async (dir) => {
      const out = path.join(dir, 'out.jsonl');
      const { io, error } = await consolidate([
        consolidateFixture,
        '--out',
        out,
        '--base-url',
        'http://127.0.0.1:9/v1',
        '--model',
        MODEL,
        '--retries',
        '0',
      ]);
      expect(error).toMatchObject({ exitCode: 3 });
      expect(io.stdout).toBe('');
      expect(await stat(out).catch(() => null)).toBeNull();
    });
  });

  it('an answer off the schema leaves its pair undecided: output written, exit 4', async () => {
    await withTempDir('dimmem-consolidate-', async (dir) => {
      const fake = await server.start({
        respond: () => ({ kind: 'answer', text: 'I would merge these two.' }),
        models: [MODEL],
      });
      const out = path.join(dir, 'out.jsonl');
      const { io, error } = await consolidate([
        consolidateFixture,
        '--out',
        out,
        '--base-url',
        fake.baseUrl,
        '--model',
        MODEL,
      ]);
      expect(error).toMatchObject({ exitCode: 4 });
      expect((error as Error).message).toMatch(/1 pair\(s\) got no usable decision/);
      expect(io.stdout).toContain(
        `no decision: ${MODEL}'s answer not used (the decision is not JSON: "I would merge these two.")`,
      );
      expect(jsonLines(await readFile(out, 'utf8'))).toHaveLength(21);
    });
  });

  it('falls back to lexical similarity when the embedding model cannot load, and says so', async () => {
    const failing = new FakeEmbedder();
    failing.embed = () =>
      Promise.reject(new Error('Xenova/all-MiniLM-L6-v2 could not be loaded: offline'));
    const { io, error } = await consolidate([consolidateFixture, '--dry-run', '--json'], failing);
    expect(error).toBeNull();
    expect(io.notes).toEqual([
      'similarity is lexical: Xenova/all-MiniLM-L6-v2 could not be loaded: offline',
    ]);
    const { pairs } = JSON.parse(io.stdout) as { pairs: PairJson[] };
    expect(pairs.every((pair) => pair.method === 'lexical')).toBe(true);
  });

  it('refuses command lines that would harm files or have no server for a model (exit 2)', async () => {
    await withTempDir('dimmem-consolidate-', async (dir) => {
      const existing = path.join(dir, 'existing.jsonl');
      await writeFile(existing, 'keep me\n');
      const cases: [string[], RegExp][] = [
        [[consolidateFixture], /give --out FILE, or --dry-run/],
        [[consolidateFixture, '--out', consolidateFixture], /is the input file/],
        [[consolidateFixture, '--out', existing], /exists; add --overwrite/],
        [[consolidateFixture, '--dry-run', '--model', MODEL], /--model needs --base-url/],
        [
          [consolidateFixture, '--dry-run', '--base-url', 'http://127.0.0.1:8000/v1'],
          /needs --model/,
        ],
      ];
      for (const [args, message] of cases) {
        const { error } = await consolidate(args);
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toMatch(message);
      }
      expect(await readFile(existing, 'utf8')).toBe('keep me\n');
      const run = await runCli(['consolidate', consolidateFixture]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
    });
  }, 60_000);
});
