import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/cli/command';
import { createSearchCommand } from '../../../src/cli/commands/search';
import type { PairJson } from '../../../src/cli/consolidate/pairReport';
import type { ChatCall, Reply } from '../../support/openaiServer';
import { serverPerTest } from '../../support/serverPerTest';
import { withTempDir } from '../../support/tempDir';
import { consolidateFixture } from '../core/consolidate/fixtureMemories';
import {
  captureIo,
  consolidate,
  decisions,
  jsonLines,
  MODEL,
  modelLabel,
} from './consolidateSupport';

const server = serverPerTest();
const MERGED_BERLIN = 'consolidated-1c067b4df05e07';

const pairsOf = (stdout: string) => (JSON.parse(stdout) as { pairs: PairJson[] }).pairs;

describe('cli consolidate --passes', () => {
  it('resolves a chain in one run: the same file as running again on the output', async () => {
    await withTempDir('dimmem-passes-', async (dir) => {
      const fake = await server.start({ respond: decisions, models: [MODEL] });
      const model = ['--base-url', fake.baseUrl, '--model', MODEL];
      const once = path.join(dir, 'once.jsonl');
      const run = await consolidate([
        consolidateFixture,
        '--out',
        once,
        '--json',
        '--passes',
        '2',
        ...model,
      ]);
      expect(run.error).toBeNull();
      expect(run.io.notes).toEqual([
        '2 passes ran (new pairs per pass: 7, 1); the last still made new memories: run again on the output (or a higher --passes) to go on',
        `wrote ${once}: 23 memories, 13 current, 10 earlier versions`,
      ]);
      const pairs = pairsOf(run.io.stdout);
      expect(Object.keys(pairs[0]!)).toEqual([
        'a',
        'b',
        'similarity',
        'method',
        'pass',
        'decision',
      ]);
      expect(
        pairs.map((pair) => [pair.a, pair.b, pair.pass, pair.decision?.decision ?? null]),
      ).toEqual([
        ['mem-berlin-1', 'mem-berlin-2', 1, 'MERGE'],
        ['mem-caroline-puppy-1', 'mem-caroline-puppy-2', 1, 'MERGE'],
        ['mem-coffee-1', 'mem-coffee-2', 1, 'MERGE'],
        ['mem-sister-1', 'mem-sister-2', 1, null],
        ['mem-carbonara-1', 'mem-carbonara-2', 1, 'MERGE'],
        ['mem-berlin-1', 'mem-lisbon', 1, null],
        ['mem-berlin-2', 'mem-lisbon', 1, null],
        [MERGED_BERLIN, 'mem-lisbon', 2, 'SUPERSEDE'],
      ]);
      expect(pairs.at(-1)!.decision).toMatchObject({ by: modelLabel(fake.baseUrl) });

      // Two runs of one pass each write the very same lines.
      const first = path.join(dir, 'first.jsonl');
      const second = path.join(dir, 'second.jsonl');
      expect((await consolidate([consolidateFixture, '--out', first, ...model])).error).toBeNull();
      expect((await consolidate([first, '--out', second, ...model])).error).toBeNull();
      expect(await readFile(once, 'utf8')).toBe(await readFile(second, 'utf8'));

      const lines = new Map(jsonLines(await readFile(once, 'utf8')).map((l) => [l.id, l]));
      const lisbon = [...lines.values()].find((line) => line.decision === 'SUPERSEDE')!;
      expect(lisbon).toMatchObject({
        content: 'The user lives in Lisbon.',
        mergedFrom: [MERGED_BERLIN, 'mem-lisbon'],
        decidedBy: modelLabel(fake.baseUrl),
      });
      // The first pass's memory is an earlier version now, still labelled with its rule.
      expect(lines.get(MERGED_BERLIN)).toMatchObject({
        supersededBy: lisbon.id,
        validUntil: '2023-05-10T00:00:00',
        decidedBy: 'rule: exact duplicate',
      });

      // search reads the labelled lines and ranks only current memories.
      const io = captureIo();
      await createSearchCommand().run(
        [once, 'Where does the user live?', '--json', '--no-embeddings'],
        io,
      );
      const ids = (JSON.parse(io.stdout) as { results: { id: string }[] }).results.map((r) => r.id);
      expect(ids).toContain(lisbon.id);
      const replaced = ['mem-berlin-1', 'mem-berlin-2', MERGED_BERLIN, 'mem-lisbon'];
      expect(ids.filter((id) => replaced.includes(id))).toEqual([]);
    });
  });

  it('stops after a pass that changes nothing and never asks the model about a pair twice', async () => {
    await withTempDir('dimmem-passes-', async (dir) => {
      // The carbonara answer is unusable: its pair stays undecided, and is not asked again.
      const respond = (call: ChatCall): Reply =>
        call.prompt.includes('Carbonara')
          ? { kind: 'answer', text: 'merge them' }
          : decisions(call);
      const fake = await server.start({ respond, models: [MODEL] });
      const out = path.join(dir, 'out.jsonl');
      const run = await consolidate([
        consolidateFixture,
        '--out',
        out,
        '--passes',
        '10',
        '--base-url',
        fake.baseUrl,
        '--model',
        MODEL,
      ]);
      expect(run.error).toMatchObject({ exitCode: 4 });
      expect(run.io.notes[0]).toBe(
        '3 passes ran (new pairs per pass: 7, 1, 0); the last changed nothing',
      );
      const prompts = fake.chatRequests().map((request) => JSON.stringify(request.body));
      expect(prompts).toHaveLength(2);
      expect(run.io.stdout.match(/answer not used/g)).toHaveLength(1);
      expect(run.io.stdout).toMatch(
        /\nmem-carbonara-1 → mem-carbonara-2 {2}similarity 0\.85, pass 1: no decision: Qwen\/Qwen3-4B's answer not used/,
      );
      expect(run.io.stdout).toMatch(
        new RegExp(`\\n${MERGED_BERLIN} → mem-lisbon {2}similarity 0\\.80, pass 2: SUPERSEDE by `),
      );
      expect(jsonLines(await readFile(out, 'utf8'))).toHaveLength(22);
    });
  });

  it('without a model, lists the next pass’s pairs as waiting for one', async () => {
    const run = await consolidate(
      [consolidateFixture, '--dry-run', '--no-embeddings', '--passes', '3'],
      null,
    );
    expect(run.error).toBeNull();
    expect(run.io.notes).toEqual([
      '2 passes ran (new pairs per pass: 7, 1); the last changed nothing',
    ]);
    const text = run.io.stdout;
    expect(text.split('\n')[0]).toBe(
      `${consolidateFixture}: 18 current memories, 8 candidate pairs in 2 passes (lexical similarity ≥ 0.5; embeddings off: --no-embeddings)`,
    );
    expect(text).toContain(
      'mem-berlin-1 → mem-lisbon  similarity 0.67, pass 1: waits for the next pass (mem-berlin-1 was merged in this one)\n',
    );
    expect(text).toContain(
      `\n${MERGED_BERLIN} → mem-lisbon  similarity 0.67, pass 2: no decision: no model given (--base-url, --model)\n` +
        '  older 2023-03-20T18:00:00  The user lives in Berlin.\n' +
        '  newer 2023-05-14T10:00:00  The user lives in Lisbon.\n',
    );
  });

  it('--passes 1 is the default: the same output, no pass numbers, nothing on stderr', async () => {
    for (const json of [[], ['--json']]) {
      const args = [consolidateFixture, '--dry-run', '--no-embeddings', ...json];
      const plain = await consolidate(args, null);
      const one = await consolidate([...args, '--passes', '1'], null);
      expect(one.io.stdout).toBe(plain.io.stdout);
      expect(one.io.notes).toEqual([]);
      expect(one.io.stdout).not.toMatch(/pass 1|"pass"/);
    }
  });

  it('refuses a number of passes that is not 1 to 10 (exit 2)', async () => {
    const cases: [string, RegExp][] = [
      ['0', /^--passes must be a whole number of at least 1, got "0"\.$/],
      ['-1', /^--passes must be a whole number of at least 1, got "-1"\.$/],
      ['two', /^--passes must be a whole number/],
      ['1.5', /^--passes must be a whole number/],
      [
        '11',
        /^--passes must be at most 10, got 11; run consolidate again on its output for more\.$/,
      ],
    ];
    for (const [value, message] of cases) {
      const { error } = await consolidate([consolidateFixture, '--dry-run', `--passes=${value}`]);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
