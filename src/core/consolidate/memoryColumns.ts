import type { ConsolidationMemory } from './types';

/**
 * The fields detection reads millions of times, taken from the memories once, in arrays by
 * position: reading a number from a typed array is far cheaper than reaching into one of 100,000
 * objects, and comparing ranks is far cheaper than comparing id strings.
 */
export interface MemoryColumns {
  ids: string[];
  /** Place in id order (UTF-16 code units, as `<` compares strings); equal ids share one. */
  idRank: Int32Array;
  messageTimestamp: Float64Array;
  /** A memory's days; NaN when undated. */
  timeStart: Float64Array;
  timeEnd: Float64Array;
  /** 1 for an edited or pinned memory, never changed automatically. */
  locked: Uint8Array;
}

export function memoryColumns(memories: readonly ConsolidationMemory[]): MemoryColumns {
  const ids = memories.map((memory) => memory.id);
  const messageTimestamp = new Float64Array(memories.length);
  const timeStart = new Float64Array(memories.length);
  const timeEnd = new Float64Array(memories.length);
  const locked = new Uint8Array(memories.length);
  memories.forEach((memory, position) => {
    locked[position] = memory.locked ? 1 : 0;
    messageTimestamp[position] = memory.messageTimestamp;
    timeStart[position] = memory.timeStart ?? Number.NaN;
    timeEnd[position] = memory.timeEnd ?? Number.NaN;
  });
  return { ids, idRank: idRanks(ids), messageTimestamp, timeStart, timeEnd, locked };
}

function idRanks(ids: readonly string[]): Int32Array {
  const byId = Array.from(ids.keys()).sort((a, b) =>
    ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0,
  );
  const ranks = new Int32Array(ids.length);
  let rank = -1;
  byId.forEach((position, order) => {
    if (order === 0 || ids[position] !== ids[byId[order - 1]!]) rank += 1;
    ranks[position] = rank;
  });
  return ranks;
}

/**
 * Sorts positions older first, as `compareSourceTime` orders memories: the earlier message time,
 * then the smaller id.
 */
export function sortBySourceTime(positions: Int32Array, columns: MemoryColumns): Int32Array {
  const { messageTimestamp, idRank } = columns;
  return positions.sort(
    (a, b) => messageTimestamp[a]! - messageTimestamp[b]! || idRank[a]! - idRank[b]!,
  );
}
