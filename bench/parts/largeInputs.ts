import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { realisticExport } from '../largeInputs/realisticExport';
import type { Figure } from '../lib/figures';
import { repoRoot } from '../lib/paths';

/** Export sizes measured: linear cost means the time per MB stays the same. */
const sizesMB = [25, 50, 100] as const;

interface Run {
  ms: number;
  peakMB: number;
  summary: string;
}

/** One measurement in a fresh Node process (its own heap, its own peak memory). */
function measureInChild(mode: 'inspect' | 'parse', file: string): Run {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'bench/largeInputs/measureRun.ts'), mode, file],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      env: { ...process.env, DIMMEM_DEBUG: '' },
    },
  );
  return JSON.parse(output.trim().split('\n').at(-1)!) as Run;
}

/**
 * `inspect` of ChatGPT exports of 25, 50 and 100 MB (synthetic, real LoCoMo text in ChatGPT's
 * shape): import, titles, stamping, token-budgeted windows and the summary, in a child process
 * each, against a bare baseline on the same bytes in the same run (read the file and JSON.parse).
 */
export async function benchLargeInputs(log: (line: string) => void): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dimmem-large-'));
  const figures: Figure[] = [];
  const perMB: number[] = [];
  try {
    for (const sizeMB of sizesMB) {
      const generated = realisticExport(sizeMB * 2 ** 20);
      const file = path.join(dir, `conversations-${sizeMB}.json`);
      writeFileSync(file, generated.bytes);
      const actualMB = generated.bytes.length / 2 ** 20;
      const baseline = measureInChild('parse', file);
      const inspect = measureInChild('inspect', file);
      perMB.push(inspect.ms / actualMB);
      log(
        `largeInputs: ${actualMB.toFixed(0)} MB, ${generated.conversations} conversations, ` +
          `${generated.userMessages} user messages (${inspect.summary}): inspect ` +
          `${(inspect.ms / 1000).toFixed(1)} s, ${inspect.peakMB.toFixed(0)} MB peak; ` +
          `JSON.parse ${(baseline.ms / 1000).toFixed(1)} s, ${baseline.peakMB.toFixed(0)} MB peak`,
      );
      const largest = sizeMB === 100;
      figures.push(
        {
          part: 'largeInputs',
          id: `largeInputs.inspect${sizeMB}`,
          label: `inspect of a ${sizeMB} MB ChatGPT export`,
          value: inspect.ms / 1000,
          unit: 's',
          ...(largest ? { goal: { below: 30, setBy: 'issue' as const } } : {}),
          detail: `${generated.userMessages} user messages; one fresh process, start-up excluded`,
        },
        {
          part: 'largeInputs',
          id: `largeInputs.inspect${sizeMB}Memory`,
          label: `inspect of ${sizeMB} MB: peak memory of the process`,
          value: inspect.peakMB,
          unit: 'MB',
          ...(largest ? { goal: { below: 1024, setBy: 'issue' as const } } : {}),
        },
        {
          part: 'largeInputs',
          id: `largeInputs.inspect${sizeMB}VsParse`,
          label: `inspect of ${sizeMB} MB vs reading + JSON.parse of the same bytes`,
          value: inspect.ms / baseline.ms,
          unit: '×',
          detail: `baseline ${(baseline.ms / 1000).toFixed(2)} s, ${baseline.peakMB.toFixed(0)} MB peak`,
        },
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  figures.push({
    part: 'largeInputs',
    id: 'largeInputs.linearity',
    label: 'inspect time per MB, 100 MB vs 25 MB',
    value: perMB[2]! / perMB[0]!,
    unit: '×',
    goal: { below: 1.5, setBy: 'bench' },
    detail:
      'linear in size gives 1×; a fixed start (tokenizer load) makes small files dearer per MB',
  });
  return figures;
}
