import type { QueryAnalysis } from '../../core/search';
import { searchMemories } from '../../core/search';
import { anchorVector, type PreparedSearch } from './prepareSearch';
import type { SearchSettings } from './searchOptions';

/**
 * Ranks the prepared memories for an analysed question, as `search` and `ask` both do: the meaning
 * route embeds `anchor` (a note in `notes` when that route is off though embeddings were asked
 * for), and `--top` keeps the best.
 */
export async function rankMemories(
  prepared: PreparedSearch,
  analysis: QueryAnalysis,
  anchor: string,
  settings: SearchSettings,
  notes: string[],
) {
  const queryVector = await anchorVector(prepared.meaning, anchor);
  if (prepared.meaning.off !== null && settings.embeddings)
    notes.push(`meaning route off: ${prepared.meaning.off}`);
  const result = searchMemories(prepared.index, analysis, {
    queryVector,
    fusion: settings.fusion,
  });
  const hits = settings.top === null ? result.hits : result.hits.slice(0, settings.top);
  return { result, hits };
}
