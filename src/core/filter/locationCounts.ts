import type { FilterableMemory } from './types';

/** Distinct locations with how many memories name them, most frequent first. */
export function locationCounts(
  memories: readonly (FilterableMemory | null)[],
  limit: number,
): { location: string; count: number }[] {
  const counts = new Map<string, { location: string; count: number }>();
  for (const memory of memories) {
    const location = memory?.location.trim();
    if (!location) continue;
    const key = location.toLowerCase();
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { location, count: 1 });
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.location.localeCompare(b.location))
    .slice(0, limit);
}
