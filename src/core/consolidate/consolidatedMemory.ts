import { fingerprint } from '../import/sourceId';
import { parseMemoryTime } from '../parse/memoryTime';
import type { ConsolidationDecision } from './decisionSchema';
import type { ConsolidationMemory } from './types';

/** A memory made by a merge or a supersede; its originals stay, as earlier versions. */
export type ConsolidatedMemory = ConsolidationMemory & {
  /** The originals' ids, older first. */
  mergedFrom: string[];
};

/**
 * The same originals, decision and text always give the same id, so consolidating the same file
 * twice writes the same memories, and a store can recognise one it already holds.
 */
export function consolidatedId(
  decision: 'MERGE' | 'SUPERSEDE',
  mergedFrom: readonly string[],
  content: string,
): string {
  return `consolidated-${fingerprint(JSON.stringify([decision, mergedFrom, content]))}`;
}

/** Keywords of several memories, each once (first spelling kept), in the order given. */
function unionKeywords(lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const keyword of lists.flat()) {
    const key = keyword.trim().toLowerCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(keyword.trim());
  }
  return result;
}

/**
 * A rule merge of duplicates (older first): the newest memory as it is — its text, source message
 * and location — with every original's keywords.
 */
export function mergeDuplicates(members: readonly ConsolidationMemory[]): ConsolidatedMemory {
  const newest = members.at(-1)!;
  const mergedFrom = members.map((memory) => memory.id);
  return {
    ...newest,
    id: consolidatedId('MERGE', mergedFrom, newest.content),
    keywords: unionKeywords([...members].reverse().map((memory) => memory.keywords)),
    locked: false,
    mergedFrom,
  };
}

/**
 * A model's MERGE or SUPERSEDE: built on the newer memory (its source message and location, since
 * `merged_dimension` has none), with the model's text and the dimensions it filled; an empty one
 * keeps the newer memory's, as the reference keeps them. Keywords the model leaves out are both
 * memories' keywords.
 */
export function mergeByDecision(
  older: ConsolidationMemory,
  newer: ConsolidationMemory,
  decision: ConsolidationDecision & { decision: 'MERGE' | 'SUPERSEDE' },
): ConsolidatedMemory {
  const dimension = decision.merged_dimension;
  const content = decision.merged_content || newer.content;
  const time = dimension.time || newer.time;
  const range = time === newer.time ? null : parseMemoryTime(time);
  const mergedFrom = [older.id, newer.id];
  return {
    ...newer,
    id: consolidatedId(decision.decision, mergedFrom, content),
    content,
    memoryType: dimension.memory_type,
    time,
    timeStart: time === newer.time ? newer.timeStart : (range?.timeStart ?? null),
    timeEnd: time === newer.time ? newer.timeEnd : (range?.timeEnd ?? null),
    keywords:
      dimension.keywords.length > 0
        ? unionKeywords([dimension.keywords])
        : unionKeywords([newer.keywords, older.keywords]),
    reason: dimension.reason || newer.reason,
    purpose: dimension.purpose || newer.purpose,
    locked: false,
    mergedFrom,
  };
}
