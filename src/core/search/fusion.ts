import type { Scored } from './topRanked';
import type { FusionMode, SearchRoute } from './types';

/** Where a memory stood in one route's list. */
export interface RouteHit {
  route: SearchRoute;
  /** 1-based rank in that route's list. */
  rank: number;
  score: number;
}

export interface FusedEntry {
  slot: number;
  /** Every route that listed it (or a memory with the same content), in fusion order. */
  hits: RouteHit[];
  /** Reciprocal rank fusion's sum; null for concatenation. */
  fusedScore: number | null;
}

/** The constant of reciprocal rank fusion (Cormack et al.): 1 / (60 + rank) per route. */
export const RRF_K = 60;

/**
 * One list from the routes' lists (each best first, at most `routeTopK` long), in the reference's
 * route order bm25 → structured → minilm. Memories with the same content (trimmed, lower-cased)
 * count once: later copies add their route to the first one's hits.
 * - `concat`: the reference's fusion: route lists one after the other.
 * - `rrf`: sorted by the sum of 1 / (60 + rank) over the routes that list it, ties by memory id.
 */
export function fuseRoutes(
  lists: Partial<Record<SearchRoute, Scored[]>>,
  contentOf: (slot: number) => string,
  idOf: (slot: number) => string,
  mode: FusionMode,
): FusedEntry[] {
  const byContent = new Map<string, FusedEntry>();
  const fused: FusedEntry[] = [];
  for (const route of ['bm25', 'structured', 'minilm'] as const) {
    (lists[route] ?? []).forEach(({ slot, score }, position) => {
      const hit: RouteHit = { route, rank: position + 1, score };
      const key = contentOf(slot).trim().toLowerCase();
      const existing = byContent.get(key);
      if (existing) {
        existing.hits.push(hit);
        return;
      }
      const entry: FusedEntry = { slot, hits: [hit], fusedScore: null };
      byContent.set(key, entry);
      fused.push(entry);
    });
  }
  if (mode === 'concat') return fused;
  for (const entry of fused) {
    entry.fusedScore = entry.hits.reduce((sum, hit) => sum + 1 / (RRF_K + hit.rank), 0);
  }
  return fused.sort((a, b) => {
    if (a.fusedScore !== b.fusedScore) return b.fusedScore! - a.fusedScore!;
    const left = idOf(a.slot);
    const right = idOf(b.slot);
    return left < right ? -1 : left > right ? 1 : 0;
  });
}
