import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { answerSchema } from '../../src/core/schema/answer';
import type { StoreBenchInput, StoreBenchOutput } from '../browser/protocol';
import { launchChromiumWithProfile } from '../lib/chromium';
import type { Figure } from '../lib/figures';
import { summarize } from '../lib/measure';
import { benchBuildDir, repoRoot, sharedData } from '../lib/paths';
import { serveBuild, viteBuild } from '../lib/vite';

const filterGoalMs = 50;

/** Distinct words (4+ letters) of every LoCoMo turn: what generated memories mix in. */
function locomoVocabulary(): string[] {
  const dir = path.join(sharedData, 'locomo');
  const words = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(data)) {
      if (!/^session_\d+$/.test(key) || !Array.isArray(value)) continue;
      for (const turn of value as { text?: unknown }[]) {
        if (typeof turn.text !== 'string') continue;
        for (const word of turn.text.toLowerCase().match(/[a-z]{4,}/g) ?? []) words.add(word);
      }
    }
  }
  return [...words].sort();
}

function seedTemplates(): StoreBenchInput['templates'] {
  const text = readFileSync(path.join(sharedData, 'seed-example/replay-window0.json'), 'utf8');
  return answerSchema.parse(JSON.parse(text)).memories;
}

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

  const input: StoreBenchInput = {
    count: options.count ?? 100_000,
    templates: seedTemplates(),
    vocabulary: locomoVocabulary(),
    writeRounds: 2,
    loadRounds: 3,
    filterSamples: 60,
    filterWarmup: 5,
  };
  const server = await serveBuild(outDir, configFile, root);
  const browser = await launchChromiumWithProfile();
  let output: StoreBenchOutput;
  try {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.waitForFunction(() => window.dimmemStoreBench !== undefined);
    output = await page.evaluate((args) => window.dimmemStoreBench!.run(args), input);
    if (errors.length > 0) throw new Error(`store benchmark page failed: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    await server.close();
  }

  const count = output.count.toLocaleString('en-US');
  const repository = summarize(output.repositoryWrite);
  const bare = summarize(output.bareWrite);
  const load = summarize(output.storeLoad);
  const getAll = summarize(output.bareGetAll);
  log(
    `store: ${count} memories (~${output.recordBytes} bytes each as JSON); writes repository ` +
      `${output.repositoryWrite.map((ms) => ms.toFixed(0)).join('/')} ms, bare ` +
      `${output.bareWrite.map((ms) => ms.toFixed(0)).join('/')} ms`,
  );
  const figures: Figure[] = [
    {
      part: 'store',
      id: 'store.bareIdbWrite',
      label: `bare idb bulk put, ${count} memories (baseline)`,
      value: bare.median / 1000,
      unit: 's',
      detail: `one transaction, app schema and indexes; median of ${bare.samples.length}`,
    },
    {
      part: 'store',
      id: 'store.repositoryWrite',
      label: `repository write, ${count} memories`,
      value: repository.median / 1000,
      unit: 's',
      detail: `writeMemoriesViaRepository, one transaction; median of ${repository.samples.length}`,
    },
    {
      part: 'store',
      id: 'store.repositoryVsBareWrite',
      label: 'repository write vs bare idb put',
      value: repository.median / bare.median,
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
      value: output.indexBuild,
      unit: 'ms',
      detail: 'once per load; later arrivals are synced in incrementally',
    },
    {
      part: 'store',
      id: 'store.searchIndexBuild',
      label: 'text search index build (first search or idle)',
      value: output.searchIndexBuild,
      unit: 'ms',
    },
  ];
  for (const [kind, label] of Object.entries(filterLabels) as [
    keyof typeof filterLabels,
    string,
  ][]) {
    const result = output.filters[kind];
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
