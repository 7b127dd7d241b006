import type { Embedder } from '../search/embedder';
import type { KeywordBlockingStats } from './keywordBlocking';
import { keywordCandidates } from './keywordBlocking';
import { jaccard, keywordSet } from './keywords';
import { contentWords, LEXICAL_SIMILARITY_THRESHOLD, wordSetCosine } from './lexicalSimilarity';
import type { RuleGroup } from './ruleMerges';
import { ruleGroups } from './ruleMerges';
import type { CandidatePair, ConsolidationMemory, RuleKind, SimilarityMethod } from './types';

/** The reference's verification threshold: all-MiniLM-L6-v2 cosine over `content` ≥ 0.7. */
export const EMBEDDING_SIMILARITY_THRESHOLD = 0.7;

/** Texts per embedder call. */
const EMBED_BATCH = 256;

export interface DetectionStats extends KeywordBlockingStats {
  /** Distinct texts embedded: only those of memories in a candidate pair (0 when lexical). */
  embedded: number;
  /** Keyword candidates whose similarity fell below the threshold. */
  belowSimilarity: number;
  /** Pairs inside rule groups (merged without a model). */
  rulePairs: number;
}

export interface Detection {
  /** Best first: similarity, then the older id, then the newer id. */
  pairs: CandidatePair[];
  groups: RuleGroup[];
  method: SimilarityMethod;
  threshold: number;
  stats: DetectionStats;
}

export interface DetectOptions {
  /** all-MiniLM-L6-v2 or a stand-in; without one, similarity is lexical. */
  embedder?: Embedder | null;
  signal?: AbortSignal;
}

interface Scored {
  older: number;
  newer: number;
  jaccard: number;
  rule: RuleKind | null;
}

/**
 * Candidate pairs among current memories, as the reference detects them and cheaper: keyword
 * blocking per person and type (at most ten partners each), then similarity only for those
 * candidates — embedding cosine over `content` ≥ 0.7 when an embedder is given, else the lexical
 * similarity ≥ 0.5. Pairs inside a rule group (exact and near-exact duplicates) are always kept,
 * whatever their keywords. Throws what the embedder throws.
 */
export async function detectPairs(
  memories: readonly ConsolidationMemory[],
  options: DetectOptions = {},
): Promise<Detection> {
  const { candidates, stats } = keywordCandidates(memories);
  const groups = ruleGroups(memories);
  const positions = new Map(memories.map((memory, position) => [memory.id, position]));
  const groupOf = new Map<string, RuleGroup>();
  for (const group of groups) for (const id of group.members) groupOf.set(id, group);
  const ruleOf = (a: number, b: number): RuleKind | null => {
    const group = groupOf.get(memories[a]!.id);
    return group !== undefined && group === groupOf.get(memories[b]!.id) ? group.kind : null;
  };

  const seen = new Set<string>();
  const scored: Scored[] = candidates.map(({ older, newer, jaccard }) => {
    const rule = groups.length === 0 ? null : ruleOf(older, newer);
    if (rule !== null) seen.add(`${older}/${newer}`);
    return { older, newer, jaccard, rule };
  });
  // Each member of a rule group pairs with the group's newest memory, into which all are merged.
  for (const group of groups) {
    const newer = positions.get(group.members.at(-1)!)!;
    for (const id of group.members.slice(0, -1)) {
      const older = positions.get(id)!;
      if (seen.has(`${older}/${newer}`)) continue;
      const a = keywordSet(memories[older]!.keywords);
      const b = new Set(keywordSet(memories[newer]!.keywords));
      const shared = a.filter((keyword) => b.has(keyword)).length;
      scored.push({ older, newer, jaccard: jaccard(a.length, b.size, shared), rule: group.kind });
    }
  }

  const embedder = options.embedder ?? null;
  const method: SimilarityMethod = embedder ? 'embedding' : 'lexical';
  const threshold = embedder ? EMBEDDING_SIMILARITY_THRESHOLD : LEXICAL_SIMILARITY_THRESHOLD;
  const { similarity, embedded } = embedder
    ? await embeddingSimilarity(memories, scored, embedder, options.signal)
    : { similarity: lexicalSimilarity(memories), embedded: 0 };

  const pairs: CandidatePair[] = [];
  let belowSimilarity = 0;
  for (const pair of scored) {
    const value = similarity(pair.older, pair.newer);
    if (pair.rule === null && value < threshold) {
      belowSimilarity += 1;
      continue;
    }
    pairs.push({
      older: memories[pair.older]!.id,
      newer: memories[pair.newer]!.id,
      jaccard: pair.jaccard,
      similarity: value,
      method,
      rule: pair.rule,
    });
  }
  pairs.sort(
    (a, b) =>
      b.similarity - a.similarity || compareText(a.older, b.older) || compareText(a.newer, b.newer),
  );
  return {
    pairs,
    groups,
    method,
    threshold,
    stats: {
      ...stats,
      embedded,
      belowSimilarity,
      rulePairs: pairs.filter((pair) => pair.rule !== null).length,
    },
  };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Cosine of the embedder's vectors (L2-normalised, so a dot product) of the two contents. Each
 * distinct text is embedded once: duplicates share a vector.
 */
async function embeddingSimilarity(
  memories: readonly ConsolidationMemory[],
  pairs: readonly Scored[],
  embedder: Embedder,
  signal?: AbortSignal,
): Promise<{ similarity: (a: number, b: number) => number; embedded: number }> {
  // Each position in a pair gets its text's slot; each distinct text is embedded once.
  const slotOf = new Int32Array(memories.length).fill(-1);
  const slots = new Map<string, number>();
  const texts: string[] = [];
  for (const pair of pairs) {
    for (const position of [pair.older, pair.newer]) {
      if (slotOf[position] !== -1) continue;
      const text = memories[position]!.content.trim();
      let slot = slots.get(text);
      if (slot === undefined) {
        slot = texts.push(text) - 1;
        slots.set(text, slot);
      }
      slotOf[position] = slot;
    }
  }
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    signal?.throwIfAborted();
    vectors.push(...(await embedder.embed(texts.slice(start, start + EMBED_BATCH), signal)));
  }
  const similarity = (a: number, b: number) => {
    const x = vectors[slotOf[a]!]!;
    const y = vectors[slotOf[b]!]!;
    let sum = 0;
    for (let k = 0; k < x.length; k++) sum += x[k]! * y[k]!;
    return Math.round(sum * 1e4) / 1e4;
  };
  return { similarity, embedded: texts.length };
}

function lexicalSimilarity(
  memories: readonly ConsolidationMemory[],
): (a: number, b: number) => number {
  const words = new Map<number, Set<string>>();
  const wordsOf = (position: number) => {
    let set = words.get(position);
    if (!set) words.set(position, (set = contentWords(memories[position]!.content)));
    return set;
  };
  return (a, b) => Math.round(wordSetCosine(wordsOf(a), wordsOf(b)) * 1e4) / 1e4;
}
