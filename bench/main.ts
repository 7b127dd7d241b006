/**
 * `npm run bench`: the app's own costs, each as a ratio to the model's time or to a bare
 * baseline measured in the same run. Prints a table and writes bench/results.json.
 *
 *   npm run bench                         all parts
 *   npm run bench -- --only=core,parsing  some parts (core, parsing, archive, store, page, table, largeInputs, convert, search, consolidate)
 *   npm run bench -- --dist=dist          page part measures an existing build instead of building
 *   npm run bench -- --memories=20000     store, table, search and consolidate parts with fewer memories (quick look)
 *   npm run bench -- --import-mb=50       importLarge part with a smaller export than 200 MB
 */
import { accessSync, constants, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import type { Figure, Part } from './lib/figures';
import { formatTable, verdict } from './lib/figures';
import { chromiumPath } from '../tests/e2e/chromium';
import { describeMachine } from './lib/machine';
import { repoRoot } from './lib/paths';
import { benchArchive } from './parts/archive';
import { benchConsolidate } from './parts/consolidate';
import { benchConvert } from './parts/convert';
import { benchCore } from './parts/core';
import { benchImportLarge } from './parts/importLarge';
import { benchLargeInputs } from './parts/largeInputs';
import { benchPage } from './parts/page';
import { benchParsing } from './parts/parsing';
import { benchSearch } from './parts/search';
import { benchStore } from './parts/store';
import { benchTable } from './parts/table';

const allParts: Part[] = [
  'core',
  'parsing',
  'archive',
  'store',
  'page',
  'table',
  'largeInputs',
  'convert',
  'search',
  'importLarge',
  'consolidate',
];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    dist: { type: 'string' },
    memories: { type: 'string' },
    'import-mb': { type: 'string' },
    out: { type: 'string', default: path.join(repoRoot, 'bench/results.json') },
  },
});

const parts = values.only === undefined ? allParts : (values.only.split(',') as Part[]);
const unknown = parts.filter((part) => !allParts.includes(part));
if (unknown.length > 0) {
  throw new Error(`unknown part ${unknown.join(', ')}; choose from ${allParts.join(', ')}`);
}
const memories = values.memories === undefined ? undefined : Number(values.memories);
if (memories !== undefined && !(Number.isInteger(memories) && memories > 0)) {
  throw new Error(`--memories must be a positive whole number, got ${values.memories}`);
}
const importMb = values['import-mb'];
if (importMb !== undefined && !(Number(importMb) > 0)) {
  throw new Error(`--import-mb must be a positive number, got ${importMb}`);
}
if (
  parts.some(
    (part) => part === 'store' || part === 'page' || part === 'table' || part === 'importLarge',
  )
) {
  try {
    accessSync(chromiumPath, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it ("sudo apt-get install -y chromium") or set CHROMIUM_PATH.`,
    );
  }
}

const log = (line: string) => console.log(`  ${line}`);
const runners: Record<Part, () => Promise<Figure[]>> = {
  core: () => benchCore(log),
  parsing: () => benchParsing(log),
  archive: () => benchArchive(log),
  store: () => benchStore(log, memories === undefined ? {} : { count: memories }),
  page: () => benchPage(log, values.dist === undefined ? {} : { dist: values.dist }),
  table: () => benchTable(log, memories === undefined ? {} : { count: memories }),
  largeInputs: () => benchLargeInputs(log),
  convert: () => benchConvert(log),
  search: () => benchSearch(log, memories === undefined ? {} : { count: memories }),
  importLarge: () =>
    benchImportLarge(log, importMb === undefined ? {} : { megabytes: Number(importMb) }),
  consolidate: () => benchConsolidate(log, memories === undefined ? {} : { count: memories }),
};

const machine = describeMachine();
console.log(
  `dimmem-web benchmark on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ` +
    `Node ${machine.node}, ${machine.chromium}`,
);
const startedAt = new Date();
const figures: Figure[] = [];
const failures: { part: Part; error: string }[] = [];
for (const part of parts) {
  const start = performance.now();
  console.log(`${part}…`);
  try {
    figures.push(...(await runners[part]()));
  } catch (error) {
    // One broken part must not hide the others' figures.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    failures.push({ part, error: message });
    console.error(`  ${part} failed: ${message}`);
  }
  console.log(`  ${part} took ${((performance.now() - start) / 1000).toFixed(1)} s`);
}
const seconds = (Date.now() - startedAt.getTime()) / 1000;

console.log(`\n${formatTable(figures)}`);
console.log('* goal set by the benchmark where the issue sets none');
const misses = figures.filter((figure) => verdict(figure) === 'miss');
console.log(
  `\n${figures.length} figures in ${seconds.toFixed(0)} s: ` +
    `${figures.filter((figure) => verdict(figure) === 'pass').length} pass, ${misses.length} miss` +
    (failures.length > 0 ? `, parts failed: ${failures.map((f) => f.part).join(', ')}` : ''),
);

writeFileSync(
  values.out,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      seconds,
      machine,
      parts,
      figures: figures.map((figure) => ({ ...figure, result: verdict(figure) })),
      failures,
    },
    null,
    2,
  )}\n`,
);
console.log(`results: ${path.relative(process.cwd(), values.out) || values.out}`);
// Misses are reported, not fatal: the figures are the product. A part that crashed is an error.
process.exitCode = failures.length > 0 ? 1 : 0;
