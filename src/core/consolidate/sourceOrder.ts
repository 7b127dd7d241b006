import type { ConsolidationMemory } from './types';

/**
 * Older first: the earlier source (message) time, then the smaller id, so equal times still give
 * one order on every run. The newer memory of a pair is the one a conflict is decided for.
 */
export function compareSourceTime(
  a: Pick<ConsolidationMemory, 'messageTimestamp' | 'id'>,
  b: Pick<ConsolidationMemory, 'messageTimestamp' | 'id'>,
): number {
  if (a.messageTimestamp !== b.messageTimestamp) return a.messageTimestamp - b.messageTimestamp;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
