import path from 'node:path';

import type { GenerateInput, ReadInput, ReadOutput, WriteMethod } from '../browser/protocol';
import { launchChromiumWithProfile } from '../lib/chromium';
import type { Figure } from '../lib/figures';
import { summarize } from '../lib/measure';
import { generateInput } from '../lib/memoryInput';
import { benchBuildDir, repoRoot } from '../lib/paths';
import { serveBuild, viteBuild } from '../lib/vite';

const filterGoalMs = 50;

const readInput: ReadInput = { loadRounds: 3, filterSamples: 60, filterWarmup: 5 };

const filterLabels = {
  type: 'type',
  keyword: 'keyword',
  timeRange: 'time range',
  text: 'text search',
  combined: 'all four combined',
} as const;

export interface StoreOptions {
  count?: number;
}

export async function benchStore(
  log: (line: string) => void,
  options: StoreOptions = {},
): Promise<Figure[]> {
  const root = path.join(repoRoot, 'bench/browser');
  const configFile = path.join(root, 'vite.config.ts');
  const outDir = path.join(benchBuildDir, 'store');
  await viteBuild(outDir, configFile);

  const input: GenerateInput = generateInput(options.count ?? 100_000);
  // A-B-B-A: a drift of this shared machine's load over the rounds falls on both methods alike.
  const order: WriteMethod[] = ['repository', 'bare', 'bare', 'repository'];
  const writes: Record<WriteMethod, number[]> = { repository: [], bare: [] };
  let recordBytes = 0;
  let output: ReadOutput | null = null;
  const server = await serveBuild(outDir, configFile, root);
  try {
    for (const [round, method] of order.entries()) {
      // A fresh profile per round: no round pays for the compaction of an earlier one's data.
      const browser = await launchChromiumWithProfile();
      try {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(server.url);
        await page.waitForFunction(() => window.dimmemStoreBench !== undefined);
        recordBytes = await page.evaluate((args) => window.dimmemStoreBench!.generate(args), input);
        writes[method].push(
          await page.evaluate((which) => window.dimmemStoreBench!.write(which), method),
        );
        // The last round's database (written by the repository, as the app does) is read back.
        if (round === order.length - 1) {
          output = await page.evaluate((args) => window.dimmemStoreBench!.read(args), readInput);
        }
        if (errors.length > 0) throw new Error(`store benchmark page failed: ${errors.join('; ')}`);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  if (!output) throw new Error('the store benchmark read nothing back');
  const read: ReadOutput = output;

  const count = input.count.toLocaleString('en-US');
  // A-B-B-A rounds: means (not medians) cancel a drift that hits the later rounds.
  const mean = (values: readonly number[]) =>
    values.reduce((sum, value) => sum + value, 0) / values.length;
  const repositoryMs = mean(writes.repository);
  const bareMs = mean(writes.bare);
  const load = summarize(read.storeLoad);
  const getAll = summarize(read.bareGetAll);
  const rounds = (values: readonly number[]) =>
    values.map((ms) => (ms / 1000).toFixed(1)).join(' / ');
  log(
    `store: ${count} memories (~${recordBytes} bytes each as JSON); write rounds ` +
      `repository ${rounds(writes.repository)} s, bare ${rounds(writes.bare)} s`,
  );
  const figures: Figure[] = [
    {
      part: 'store',
      id: 'store.bareIdbWrite',
      label: `bare idb bulk put, ${count} memories (baseline)`,
      value: bareMs / 1000,
      unit: 's',
      detail: `one transaction, app schema and indexes; mean of ${writes.bare.length} rounds`,
    },
    {
      part: 'store',
      id: 'store.repositoryWrite',
      label: `repository write, ${count} memories`,
      value: repositoryMs / 1000,
      unit: 's',
      detail: `writeMemoriesViaRepository, one transaction; mean of ${writes.repository.length} rounds`,
    },
    {
      part: 'store',
      id: 'store.repositoryVsBareWrite',
      label: 'repository write vs bare idb put',
      value: repositoryMs / bareMs,
      unit: '×',
      goal: { below: 1.25, setBy: 'bench' },
    },
    {
      part: 'store',
      id: 'store.bareGetAll',
      label: `bare idb getAll, ${count} memories (baseline)`,
      value: getAll.median,
      unit: 'ms',
      detail: `median of ${getAll.samples.length}`,
    },
    {
      part: 'store',
      id: 'store.loadIntoStore',
      label: 'load into useMemoriesStore (getAll + setAll)',
      value: load.median,
      unit: 'ms',
      detail: `loadMemoriesIntoStore; median of ${load.samples.length}`,
    },
    {
      part: 'store',
      id: 'store.loadVsBareGetAll',
      label: 'store load vs bare getAll',
      value: load.median / getAll.median,
      unit: '×',
      // The store also builds the by-id map the detail panel and live updates use.
      goal: { below: 1.5, setBy: 'bench' },
    },
    {
      part: 'store',
      id: 'store.filterIndexBuild',
      label: 'table filter index build (new MemoryIndex)',
      value: read.indexBuild,
      unit: 'ms',
      detail: 'once per load; later arrivals are synced in incrementally',
    },
    {
      part: 'store',
      id: 'store.searchIndexBuild',
      label: 'text search index build (first search or idle)',
      value: read.searchIndexBuild,
      unit: 'ms',
    },
  ];
  for (const [kind, label] of Object.entries(filterLabels) as [
    keyof typeof filterLabels,
    string,
  ][]) {
    const result = read.filters[kind];
    const timings = summarize(result.samples);
    const detail = `${result.samples.length} queries on ${count}, ${Math.round(result.meanRows).toLocaleString('en-US')} rows on average`;
    figures.push(
      {
        part: 'store',
        id: `store.filter.${kind}.p50`,
        label: `filter p50: ${label}`,
        value: timings.median,
        unit: 'ms',
        goal: { below: filterGoalMs, setBy: 'issue' },
        detail,
      },
      {
        part: 'store',
        id: `store.filter.${kind}.p95`,
        label: `filter p95: ${label}`,
        value: timings.p95,
        unit: 'ms',
        goal: { below: filterGoalMs, setBy: 'issue' },
        detail,
      },
    );
  }
  return figures;
}
