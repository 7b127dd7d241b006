import { readFileSync } from 'node:fs';
import path from 'node:path';

import { strToU8, zipSync } from 'fflate';
import type { Zippable } from 'fflate';

import { openChatArchive } from '../../src/core/import/chatArchive';
import type { Figure } from '../lib/figures';
import { measure } from '../lib/measure';
import { fixtureData } from '../lib/paths';

/**
 * Opening a ChatGPT export split into numbered parts (`conversations-00000.json`, …): the archive's
 * directory is read once and each part unpacked from its offset and checked (size, CRC-32). Ten
 * times the parts should cost about ten times as much; the first version walked the directory for
 * every part (26.6 s for 10,000).
 */
function numberedExport(parts: number, part: Uint8Array): Uint8Array {
  const files: Zippable = {};
  for (let i = 0; i < parts; i++) files[`conversations-${String(i).padStart(5, '0')}.json`] = part;
  return zipSync(files);
}

export async function benchArchive(log: (line: string) => void): Promise<Figure[]> {
  const [first] = JSON.parse(
    readFileSync(path.join(fixtureData, 'import/chatgpt-conversations.json'), 'utf8'),
  ) as unknown[];
  const part = strToU8(JSON.stringify([first]));
  const small = numberedExport(1_000, part);
  const large = numberedExport(10_000, part);
  const open = (zip: Uint8Array) => () => {
    const entries = openChatArchive('export.zip', zip);
    if (entries.some((entry) => entry.error)) throw new Error('a part could not be unpacked');
    return entries.length;
  };
  const options = { warmup: 1, iterations: 5 };
  const smallMs = (await measure(open(small), options)).timings.median;
  const largeMs = (await measure(open(large), options)).timings.median;
  log(
    `archive: 1,000 parts ${smallMs.toFixed(1)} ms, 10,000 parts ${largeMs.toFixed(1)} ms ` +
      `(${(large.length / 1024 / 1024).toFixed(1)} MB zip)`,
  );
  return [
    {
      part: 'archive',
      id: 'archive.open10000Parts',
      label: 'open a .zip export in 10,000 numbered parts (unpack and check each)',
      value: largeMs,
      unit: 'ms',
      detail: `median of ${options.iterations}; ${part.length}-byte parts, deflated`,
    },
    {
      part: 'archive',
      id: 'archive.partsScaling',
      label: '10,000 parts vs 1,000 parts (10 × is linear, 100 × quadratic)',
      value: largeMs / smallMs,
      unit: '×',
      goal: { below: 15, setBy: 'bench' },
    },
  ];
}
