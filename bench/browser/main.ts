import { deleteDB } from 'idb';

import { emptyFilters, MemoryIndex } from '../../src/core/filter';
import type { MemoryFilters } from '../../src/core/filter';
import { memoryTypes } from '../../src/core/schema/answer';
import { toIsoDate } from '../../src/core/time/localTime';
import { generateMemoryRecords, writeMemoriesViaRepository } from './benchmarkHooks';
import { openDimmemDb } from '../../src/store/db/db';
import type { DimmemDb } from '../../src/store/db/db';
import { useMemoriesStore } from '../../src/store/memories/memoriesStore';
import type { MemoryRecord } from '../../src/store/db/records';
import { loadMemoriesIntoStore } from '../../src/store/db/storeLoader';
import type { FilterKind, GenerateInput, ReadInput, ReadOutput, WriteMethod } from './protocol';

const DAY = 86_400_000;

/** Collects garbage first (Chromium runs with `--expose-gc`), so no measurement pays for another's. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  collectGarbage();
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const dbNames = { repository: 'bench-repository', bare: 'bench-bare' } as const;

/**
 * A database with the app's schema, empty, and the only one of the benchmark's in the profile:
 * every write round starts from the same state.
 */
async function freshDb(method: keyof typeof dbNames): Promise<DimmemDb> {
  for (const name of Object.values(dbNames)) await deleteDB(name);
  return openDimmemDb({ name: dbNames[method] });
}

/** The baseline: the same records into the same object store, one idb transaction, no app code. */
async function bareIdbPut(db: DimmemDb, records: readonly MemoryRecord[]): Promise<void> {
  const transaction = db.transaction('memories', 'readwrite');
  for (const record of records) void transaction.store.put(record);
  await transaction.done;
}

/** Deterministic choices, so every run asks the same questions. */
function pick<T>(values: readonly T[], i: number): T {
  return values[(i * 7919) % values.length]!;
}

function filterQueries(
  index: MemoryIndex<MemoryRecord>,
  records: readonly MemoryRecord[],
  vocabulary: readonly string[],
  samples: number,
): Record<FilterKind, MemoryFilters[]> {
  const facets = index.query(emptyFilters).keywordFacets.map((facet) => facet.keyword);
  // Frequent chip keywords and rarer words from the data, as a user would click or type them.
  const keywords = [...facets, ...records.slice(0, 2000).flatMap((record) => record.keywords)];
  let first = Infinity;
  let last = -Infinity;
  for (const record of records) {
    first = Math.min(first, record.messageTimestamp);
    last = Math.max(last, record.messageTimestamp);
  }
  const typeChoices = [['fact'], ['episodic'], ['profile'], ['fact', 'episodic']] as const;
  const textQuery = (i: number): string => {
    const word = pick(vocabulary, i + 1);
    switch (i % 4) {
      case 0:
        return word;
      case 1:
        return word.slice(0, 3); // typing: a prefix
      case 2:
        return word.length > 4 ? word.slice(0, 2) + word.slice(3) : word; // a typo: fuzzy
      default:
        return `${word} ${pick(vocabulary, i + 2)}`;
    }
  };
  const range = (i: number): Pick<MemoryFilters, 'timeFrom' | 'timeTo' | 'timeBasis'> => {
    const from = first + ((i * 0.137) % 1) * (last - first);
    const days = [7, 30, 90, 365][i % 4]!;
    return {
      timeFrom: toIsoDate(from),
      timeTo: toIsoDate(from + days * DAY),
      timeBasis: i % 2 === 0 ? 'memory' : 'message',
    };
  };
  const of = (make: (i: number) => Partial<MemoryFilters>) =>
    Array.from({ length: samples }, (_, i) => ({ ...emptyFilters, ...make(i) }));
  return {
    type: of((i) => ({ types: [...typeChoices[i % typeChoices.length]!] })),
    keyword: of((i) => ({ keywords: [pick(keywords, i)] })),
    timeRange: of(range),
    text: of((i) => ({ text: textQuery(i) })),
    combined: of((i) => ({
      types: [pick(memoryTypes, i)],
      ...range(i),
      keywords: i % 2 === 0 ? [pick(facets, i)] : [],
      text: textQuery(i),
    })),
  };
}

/** Kept between calls: the page lives for one write round (and the reads after the last). */
let generated: { records: MemoryRecord[]; vocabulary: string[] } = { records: [], vocabulary: [] };
let written: DimmemDb | null = null;

function generate(input: GenerateInput): number {
  const records = generateMemoryRecords(input.count, {
    templates: input.templates,
    vocabulary: input.vocabulary,
    seed: 1,
  });
  generated = { records, vocabulary: input.vocabulary };
  const sample = records.slice(0, 1000);
  return Math.round(JSON.stringify(sample).length / Math.max(1, sample.length));
}

async function write(method: WriteMethod): Promise<number> {
  written?.close();
  const db = await freshDb(method);
  written = db;
  return method === 'repository'
    ? timed(() => writeMemoriesViaRepository(db, generated.records))
    : timed(() => bareIdbPut(db, generated.records));
}

async function read(input: ReadInput): Promise<ReadOutput> {
  const loaded = written;
  if (!loaded) throw new Error('read() before write()');
  const { records, vocabulary } = generated;
  const storeLoad: number[] = [];
  const bareGetAll: number[] = [];
  for (let i = 0; i < input.loadRounds; i++) {
    const db = loaded;
    // Alternating which goes first; the previous round's memories are dropped before each.
    const bare = async () => {
      useMemoriesStore.getState().setAll([]);
      bareGetAll.push(await timed(() => db.getAll('memories')));
    };
    const store = async () => {
      useMemoriesStore.getState().setAll([]);
      storeLoad.push(await timed(() => loadMemoriesIntoStore(db)));
    };
    if (i % 2 === 0) {
      await bare();
      await store();
    } else {
      await store();
      await bare();
    }
  }
  if (useMemoriesStore.getState().memories.length === 0) await loadMemoriesIntoStore(loaded);
  const memories = useMemoriesStore.getState().memories;
  if (memories.length !== records.length) {
    throw new Error(`loaded ${memories.length} memories, wrote ${records.length}`);
  }

  collectGarbage();
  const indexStart = performance.now();
  const built = new MemoryIndex(memories);
  const indexBuild = performance.now() - indexStart;
  const searchIndexBuild = await timed(() => built.warmSearch());

  const queries = filterQueries(built, records, vocabulary, input.filterSamples);
  const filters = {} as ReadOutput['filters'];
  for (const [kind, list] of Object.entries(queries) as [FilterKind, MemoryFilters[]][]) {
    // Warm-up: the JIT compiles the query path on the first few calls of each kind.
    for (const query of list.slice(-input.filterWarmup)) built.query(query);
    const samples: number[] = [];
    let rows = 0;
    for (const query of list) {
      const start = performance.now();
      const result = built.query(query);
      samples.push(performance.now() - start);
      rows += result.rows.length;
    }
    filters[kind] = { samples, meanRows: rows / list.length };
  }

  loaded.close();
  written = null;
  for (const name of Object.values(dbNames)) await deleteDB(name);
  return {
    storeLoad,
    bareGetAll,
    indexBuild,
    searchIndexBuild,
    filters,
  };
}

window.dimmemStoreBench = { generate, write, read };
