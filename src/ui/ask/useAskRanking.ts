import { useEffect, useMemo, useState } from 'react';

import { SearchIndex } from '../../core/search';
import type { MemoryRecord } from '../../store/db/records';
import {
  getMeaningRoute,
  subscribeMeaningRoute,
  type MeaningStatus,
} from '../../store/ask/meaningRoute';
import { rankQuestion, whyRanked, type AskRanking } from '../../store/ask/rankQuestion';
import type { FusionMode } from '../../core/search';

export interface RankedRow {
  rank: number;
  why: string;
}

export interface AskRankingView {
  /** Null while the Ask box is empty: the table keeps its own order. */
  ranking: AskRanking<MemoryRecord> | null;
  /** The ranked memories, best first. */
  rows: readonly MemoryRecord[];
  byId: ReadonlyMap<string, RankedRow>;
  /** The index the ranking ran on (the table's filtered memories), for the answer. */
  index: SearchIndex<MemoryRecord>;
  meaning: MeaningStatus;
  /** The question's day (00:00): relative times count from it. */
  askedOn: number;
}

function useMeaningStatus(): MeaningStatus {
  const [status, setStatus] = useState(() => getMeaningRoute().status());
  useEffect(() => subscribeMeaningRoute(() => setStatus(getMeaningRoute().status())), []);
  return status;
}

/**
 * Ranks the table's filtered memories for the Ask box's question at every keystroke, without a
 * model: the deterministic parse, BM25 and structured routes at once, and the meaning route once
 * the question's vector arrives (when embeddings are on). The index follows the filtered rows
 * memory by memory, and is built only once a question is typed.
 */
export function useAskRanking(
  filtered: readonly MemoryRecord[],
  question: string,
  askedOn: number,
  fusion: FusionMode,
): AskRankingView {
  const [index] = useState(() => new SearchIndex<MemoryRecord>());
  const meaning = useMeaningStatus();
  const trimmed = question.trim();
  const asking = trimmed !== '';

  const synced = useMemo(() => {
    if (!asking) return null;
    index.sync(filtered);
    if (meaning.state === 'on') getMeaningRoute().fillVectors(index);
    return filtered;
  }, [index, filtered, asking, meaning]);

  const [vector, setVector] = useState<{ text: string; vector: Float32Array } | null>(null);
  useEffect(() => {
    if (!asking || meaning.state !== 'on') return;
    const controller = new AbortController();
    getMeaningRoute()
      .embedQuestion(trimmed, controller.signal)
      .then((embedded) => {
        if (!controller.signal.aborted) setVector({ text: trimmed, vector: embedded });
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [asking, trimmed, meaning]);

  const ranking = useMemo(() => {
    if (synced === null) return null;
    const queryVector = vector?.text === trimmed ? vector.vector : null;
    return rankQuestion(index, trimmed, {
      askedOn,
      queryVector,
      meaningOff: meaning.state === 'off' ? meaning.reason : null,
      fusion,
    });
  }, [index, synced, trimmed, askedOn, vector, meaning, fusion]);

  return useMemo(() => {
    const hits = ranking?.result.hits ?? [];
    const time = ranking?.result.timeUnderstood ?? null;
    return {
      ranking,
      rows: hits.map((hit) => hit.memory),
      byId: new Map(
        hits.map((hit) => [hit.memory.id, { rank: hit.rank, why: whyRanked(hit, time) }]),
      ),
      index,
      meaning,
      askedOn,
    };
  }, [ranking, index, meaning, askedOn]);
}
