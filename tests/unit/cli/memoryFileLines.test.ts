import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CliError } from '../../../src/cli/command';
import { readMemoryFileLines } from '../../../src/cli/memoryFileLines';

let dir: string;
let fixtureLines: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dimmem-memory-lines-'));
  const fixture = await readFile('tests/fixtures/consolidate/memories.jsonl', 'utf8');
  fixtureLines = fixture.split('\n').filter((line) => line.trim() !== '');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function fileOf(name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, lines.join('\r\n'));
  return file;
}

/** A fixture line with its id changed, or removed (`undefined`). */
function withId(line: string, id: string | undefined): string {
  const { id: _id, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify(id === undefined ? rest : { id, ...rest });
}

describe('the memories file reader of search, ask and consolidate', () => {
  it('reads each memory line with a unique id and names the lines that are not memories', async () => {
    const [first, second] = fixtureLines as [string, string];
    const file = await fileOf('mixed.jsonl', [
      first,
      '',
      '   ',
      '{"version":1,"content":42}',
      withId(second, undefined),
      withId(second, 'mem-berlin-1'),
      'not json at all',
    ]);
    const { lines, skipped } = await readMemoryFileLines(file);
    expect(lines.map(({ id, line }) => [id, line])).toEqual([
      ['mem-berlin-1', 1],
      ['line-5', 5],
      ['mem-berlin-1#line-6', 6],
    ]);
    // The text is kept exactly as the file has it (consolidation writes it back unchanged).
    expect(lines[0]!.text).toBe(first);
    expect(lines[0]!.read.memory.content).toBe('The user lives in Berlin.');
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/^line 4: /);
    expect(skipped[1]).toMatch(/^line 7: not JSON/);
  });

  it('drops lines that do not count before they take an id, and lets a check refuse the file', async () => {
    const [first] = fixtureLines as [string];
    const file = await fileOf('kept.jsonl', [first, withId(first, undefined), first]);
    const kept = await readMemoryFileLines(file, {
      keep: (read) => read.provenance.id === undefined,
    });
    // The dropped line 1 took no id, so line 3's copy of it is not renamed either.
    expect(kept.lines.map(({ id }) => id)).toEqual(['line-2']);
    const refusal = new CliError('refused', 1);
    await expect(
      readMemoryFileLines(file, {
        check: (_text, line) => {
          if (line === 2) throw refusal;
        },
      }),
    ).rejects.toBe(refusal);
  });

  it('says plainly when the file is missing or is not a file', async () => {
    const missing = path.join(dir, 'nope.jsonl');
    await expect(readMemoryFileLines(missing)).rejects.toThrow(`${missing}: no such file.`);
    await expect(readMemoryFileLines(dir)).rejects.toThrow(
      new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: EISDIR`),
    );
  });
});
