import path from 'node:path';

import type { Page } from '@playwright/test';

import type {
  FilterAction,
  FilterTiming,
  ScrollInput,
  ScrollOutput,
  TableLoad,
  TableLoadWindow,
} from '../browser/appProbes';
import { filterProbe, idleFramesProbe, scrollProbe, tableLoadProbe } from '../browser/appProbes';
import type { SeedOutput } from '../browser/tableProtocol';
import { buildApp } from '../lib/appBuild';
import { keepNamesShim, launchChromiumWithProfile } from '../lib/chromium';
import type { Figure } from '../lib/figures';
import { summarize } from '../lib/measure';
import { generateInput } from '../lib/memoryInput';
import { repoRoot } from '../lib/paths';
import { serveBuild, viteBuild } from '../lib/vite';

/** The goal for any filter, as the user sees it. */
const filterGoalMs = 50;
/**
 * The benchmark's goal for scrolling: 95 % of frames within three 60 Hz frames. Chromium here
 * rasterizes in software on 2 shared cores, so one or two dropped frames in a row are expected.
 */
const scrollFrameGoalMs = 50;
/** The benchmark's goal for opening the view: at most this many times a bare `getAll`. */
const loadVsGetAllGoal = 3;

/** The table's row height (MemoryTable.tsx); rows under the header are found by it. */
const rowHeight = 40;
const loads = 5;
/** Apply-and-clear pairs per filter kind, after `warmupPairs` unmeasured ones. */
const filterPairs = 12;
const warmupPairs = 2;
const scrollModes = [
  {
    id: 'drag',
    label: 'drag, top to bottom',
    input: { frames: 300, pxPerFrame: null, rowHeight },
  },
  {
    id: 'wheel',
    label: 'wheel, 100 px/frame',
    input: { frames: 300, pxPerFrame: 100, rowHeight },
  },
] as const satisfies readonly { id: string; label: string; input: ScrollInput }[];

/** Deterministic choices, so every run asks the same questions. */
function pick<T>(values: readonly T[], i: number): T {
  const value = values[(i * 7919) % values.length];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

/** Words as the store part types them: whole, a prefix, with a typo, two words. */
function textQuery(vocabulary: readonly string[], i: number): string {
  const word = pick(vocabulary, i + 1);
  switch (i % 4) {
    case 0:
      return word;
    case 1:
      return word.slice(0, 3);
    case 2:
      return word.length > 4 ? word.slice(0, 2) + word.slice(3) : word;
    default:
      return `${word} ${pick(vocabulary, i + 2)}`;
  }
}

type FilterKind = 'type' | 'keyword' | 'timeRange' | 'text' | 'conversation';

const filterLabels: Record<FilterKind, string> = {
  type: 'type toggle',
  keyword: 'keyword chip',
  timeRange: '"From" date',
  text: 'search text',
  conversation: 'conversation',
};

const selectors = {
  type: '.type-toggles button',
  keyword: '.keyword-chips .chip',
  from: '.filter-bar input[type="date"]',
  search: '.filter-bar input[type="search"]',
  conversation: '.filter-bar select:has(option[value=""])',
} as const;

/** Each kind's apply and clear actions for the i-th sample, from what the view offers. */
async function filterActions(
  page: Page,
  vocabulary: readonly string[],
): Promise<Record<FilterKind, (i: number) => [FilterAction, FilterAction]>> {
  const labels = (selector: string) =>
    page.$$eval(selector, (elements) =>
      elements.map((element) => element.firstChild?.textContent ?? ''),
    );
  const types = await labels(selectors.type);
  const chips = await labels(selectors.keyword);
  const conversations = await page.$$eval(`${selectors.conversation} option`, (options) =>
    options.map((option) => (option as HTMLOptionElement).value).filter((value) => value !== ''),
  );
  if (types.length === 0 || chips.length === 0 || conversations.length === 0) {
    throw new Error('the memories view shows no type toggles, keyword chips or conversations');
  }
  const click = (selector: string, text: string): FilterAction => ({
    kind: 'click',
    selector,
    text,
  });
  const value = (selector: string, to: string): FilterAction => ({
    kind: 'value',
    selector,
    value: to,
  });
  // Generated message times run from January 2021 over about two years.
  const fromDate = (i: number) =>
    `${2021 + (i % 2)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 11) % 28)).padStart(2, '0')}`;
  return {
    type: (i) => [click(selectors.type, pick(types, i)), click(selectors.type, pick(types, i))],
    keyword: (i) => [
      click(selectors.keyword, pick(chips, i)),
      click(selectors.keyword, pick(chips, i)),
    ],
    timeRange: (i) => [value(selectors.from, fromDate(i)), value(selectors.from, '')],
    text: (i) => [value(selectors.search, textQuery(vocabulary, i)), value(selectors.search, '')],
    conversation: (i) => [
      value(selectors.conversation, pick(conversations, i)),
      value(selectors.conversation, ''),
    ],
  };
}

/** Opens the memories view in a new tab and waits until the table shows every memory. */
async function openMemoriesView(
  page: Page,
  url: string,
  count: number,
): Promise<TableLoad & { heapMb: number }> {
  await page.addInitScript(tableLoadProbe, count);
  await page.goto(new URL('?view=memories', url).href);
  const handle = await page.waitForFunction(
    () => (window as unknown as TableLoadWindow).__benchTableLoad,
    undefined,
    { timeout: 120_000, polling: 100 },
  );
  const load = (await handle.jsonValue()) as TableLoad;
  const heapMb = await page.evaluate(() => {
    (globalThis as { gc?: () => void }).gc?.();
    const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
    return memory ? memory.usedJSHeapSize / 2 ** 20 : Number.NaN;
  });
  return { ...load, heapMb };
}

/** Frames the display missed: a delta of n refresh intervals means n − 1 were dropped. */
function droppedShare(deltas: readonly number[], interval: number): number {
  const dropped = deltas.reduce(
    (sum, delta) => sum + Math.max(0, Math.round(delta / interval) - 1),
    0,
  );
  return (100 * dropped) / (deltas.length + dropped);
}

export interface TableOptions {
  count?: number;
}

/**
 * The real app's memories view with many memories: the app build, its database filled through
 * the store's own code on the same origin, then opened, scrolled and filtered as a user would.
 */
export async function benchTable(
  log: (line: string) => void,
  options: TableOptions = {},
): Promise<Figure[]> {
  const appDir = await buildApp((line) => log(`table: ${line}`));
  // The seed page is served by the same server as the app: same origin, same IndexedDB.
  const seedRoot = path.join(repoRoot, 'bench/browser');
  await viteBuild(path.join(appDir, 'bench-seed'), path.join(seedRoot, 'vite.config.ts'), {
    base: '/bench-seed/',
    build: { rolldownOptions: { input: path.join(seedRoot, 'seed.html') } },
  });
  const input = generateInput(options.count ?? 100_000);
  const count = input.count.toLocaleString('en-US');

  const server = await serveBuild(appDir);
  const browser = await launchChromiumWithProfile();
  let seeded: SeedOutput;
  const getAll: number[] = [];
  const opened: (TableLoad & { heapMb: number })[] = [];
  let idle: number[];
  const scrolls: Partial<Record<(typeof scrollModes)[number]['id'], ScrollOutput>> = {};
  const filters: Partial<Record<FilterKind, FilterTiming[]>> = {};
  try {
    await browser.context.addInitScript({ content: keepNamesShim });
    const errors: string[] = [];
    browser.context.on('weberror', (error) => errors.push(error.error().message));

    const seedPage = await browser.context.newPage();
    await seedPage.goto(new URL('bench-seed/seed.html', server.url).href);
    await seedPage.waitForFunction(() => window.dimmemTableSeed !== undefined);
    seeded = await seedPage.evaluate((args) => window.dimmemTableSeed!.seed(args), input);
    for (let i = 0; i < 3; i++) {
      getAll.push(await seedPage.evaluate(() => window.dimmemTableSeed!.bareGetAll()));
    }
    await seedPage.close();
    log(
      `table: wrote ${seeded.memories.toLocaleString('en-US')} memories, ` +
        `${seeded.conversations} conversations, ${seeded.messages.toLocaleString('en-US')} ` +
        `messages in ${(seeded.writeMs / 1000).toFixed(1)} s`,
    );

    // One tab at a time, as a user reopening the app; the first load warms the HTTP cache.
    let page: Page | null = null;
    for (let i = 0; i <= loads; i++) {
      await page?.close();
      page = await browser.context.newPage();
      const load = await openMemoriesView(page, server.url, input.count);
      if (i > 0) opened.push(load);
    }
    if (!page) throw new Error('no page');
    log(`table: view shown after ${opened.map((load) => load.shown.toFixed(0)).join(' / ')} ms`);

    // The text index is built while the browser is idle (up to 3 s after the view appears).
    await page.waitForTimeout(4000);
    // As in the store part, each measured step starts from a collected heap, so none pays for
    // the garbage of the one before (the browser collects it when idle between a user's actions).
    const collectGarbage = () =>
      page.evaluate(() => (globalThis as { gc?: () => void }).gc?.()).then(() => undefined);
    idle = await page.evaluate(idleFramesProbe, 120);
    for (const mode of scrollModes) {
      await collectGarbage();
      scrolls[mode.id] = await page.evaluate(scrollProbe, mode.input);
    }
    await page.evaluate(() => {
      const wrap = document.querySelector('[data-testid="memory-table-scroll"]');
      if (wrap) wrap.scrollTop = 0;
    });
    await collectGarbage();

    const actions = await filterActions(page, input.vocabulary);
    for (const kind of Object.keys(filterLabels) as FilterKind[]) {
      const timings: FilterTiming[] = [];
      for (let i = 0; i < warmupPairs + filterPairs; i++) {
        for (const action of actions[kind](i)) {
          const timing = await page.evaluate(filterProbe, action);
          if (i >= warmupPairs) timings.push(timing);
          // A quiet main thread before the next action, as between a user's clicks.
          await page.waitForTimeout(60);
        }
      }
      filters[kind] = timings;
    }
    await page.close();
    if (errors.length > 0) throw new Error(`the app page failed: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    await server.close();
  }

  const bare = summarize(getAll);
  const shown = summarize(opened.map((load) => load.shown));
  const painted = summarize(opened.map((load) => load.painted));
  const longTaskMs = summarize(opened.map((load) => load.longTaskMs));
  const heap = summarize(opened.map((load) => load.heapMb));
  const interval = summarize(idle).median;
  const figures: Figure[] = [
    {
      part: 'table',
      id: 'table.bareGetAll',
      label: `bare idb getAll, ${count} memories (baseline)`,
      value: bare.median,
      unit: 'ms',
      detail: `median of ${bare.samples.length}, same profile and database as the app`,
    },
    {
      part: 'table',
      id: 'table.load.shown',
      label: `open the view → "${count} memories" shown`,
      value: shown.median,
      unit: 'ms',
      detail:
        `navigation start → count and first row in the DOM; median of ${loads} loads ` +
        `(p95 ${shown.p95.toFixed(0)} ms); painted at ${painted.median.toFixed(0)} ms; ` +
        `${longTaskMs.median.toFixed(0)} ms of it in long tasks`,
    },
    {
      part: 'table',
      id: 'table.load.vsBareGetAll',
      label: 'open the view vs bare getAll',
      value: shown.median / bare.median,
      unit: '×',
      goal: { below: loadVsGetAllGoal, setBy: 'bench' },
    },
    {
      part: 'table',
      id: 'table.load.heap',
      label: `JavaScript heap with ${count} memories shown`,
      value: heap.median,
      unit: 'MB',
      detail: 'performance.memory.usedJSHeapSize after a garbage collection',
    },
    {
      part: 'table',
      id: 'table.scroll.idleFrame',
      label: 'idle frame interval (baseline)',
      value: interval,
      unit: 'ms',
      detail: `median of ${idle.length} animation frames with nothing to do`,
    },
  ];
  for (const mode of scrollModes) {
    const output = scrolls[mode.id];
    if (!output) throw new Error(`no ${mode.id} scroll figures`);
    const frames = summarize(output.deltas);
    const longTasks = output.longTasks.length;
    const detail =
      `${output.deltas.length} frames, one scroll step each, over ` +
      `${Math.round(output.scrolledPx).toLocaleString('en-US')} px; ` +
      `${output.rowsRendered.toFixed(0)} rows in the DOM on average; ${longTasks} long tasks ` +
      `(${output.longTasks.reduce((sum, ms) => sum + ms, 0).toFixed(0)} ms)`;
    figures.push(
      {
        part: 'table',
        id: `table.scroll.${mode.id}.p50`,
        label: `scroll ${mode.label}: frame p50`,
        value: frames.median,
        unit: 'ms',
        detail,
      },
      {
        part: 'table',
        id: `table.scroll.${mode.id}.p95`,
        label: `scroll ${mode.label}: frame p95`,
        value: frames.p95,
        unit: 'ms',
        goal: { below: scrollFrameGoalMs, setBy: 'bench' },
        detail,
      },
      {
        part: 'table',
        id: `table.scroll.${mode.id}.dropped`,
        label: `scroll ${mode.label}: dropped frames`,
        value: droppedShare(output.deltas, interval),
        unit: '%',
        detail: `frames missed at the idle interval of ${interval.toFixed(1)} ms`,
      },
      {
        part: 'table',
        id: `table.scroll.${mode.id}.blank`,
        label: `scroll ${mode.label}: frames with rows missing`,
        value: (100 * output.blankFrames) / output.deltas.length,
        unit: '%',
        detail: 'the row under the header was not rendered yet when the frame began',
      },
    );
  }
  for (const kind of Object.keys(filterLabels) as FilterKind[]) {
    const timings = filters[kind];
    if (!timings) throw new Error(`no ${kind} filter figures`);
    const paintedMs = summarize(timings.map((timing) => timing.painted));
    const domMs = summarize(timings.map((timing) => timing.dom));
    const detail =
      `${timings.length} actions (apply, then clear) on ${count}; count in the DOM after ` +
      `${domMs.median.toFixed(1)} / ${domMs.p95.toFixed(1)} ms (p50 / p95), painted after the values shown`;
    figures.push(
      {
        part: 'table',
        id: `table.filter.${kind}.p50`,
        label: `UI filter p50: ${filterLabels[kind]} → count painted`,
        value: paintedMs.median,
        unit: 'ms',
        goal: { below: filterGoalMs, setBy: 'issue' },
        detail,
      },
      {
        part: 'table',
        id: `table.filter.${kind}.p95`,
        label: `UI filter p95: ${filterLabels[kind]} → count painted`,
        value: paintedMs.p95,
        unit: 'ms',
        goal: { below: filterGoalMs, setBy: 'issue' },
        detail,
      },
    );
  }
  return figures;
}
