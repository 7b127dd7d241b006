import type { Embedder } from '../search/embedder';
import type { KeywordBlockingStats } from './keywordBlocking';
import { keywordCandidatePairs } from './keywordBlocking';
import type { NumberedKeywords } from './keywordNumbers';
import { numberKeywords } from './keywordNumbers';
import { memoryColumns } from './memoryColumns';
import { bestFirst } from './pairOrder';
import { jaccard } from './keywords';
import { LEXICAL_SIMILARITY_THRESHOLD } from './lexicalSimilarity';
import type { PairList } from './pairList';
import type { RuleGroup, RuleGroupPositions } from './ruleMerges';
import { ruleGroupPositions } from './ruleMerges';
import { embeddingSimilarity, lexicalSimilarity } from './pairSimilarity';
import type { CandidatePair, ConsolidationMemory, RuleKind, SimilarityMethod } from './types';

/** The reference's verification threshold: all-MiniLM-L6-v2 cosine over `content` ≥ 0.7. */
export const EMBEDDING_SIMILARITY_THRESHOLD = 0.7;

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

const ruleKinds: readonly RuleKind[] = ['exact', 'near-exact'];
const NO_RULE = -1;

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
  const columns = memoryColumns(memories);
  const keywords = numberKeywords(memories);
  const { pairs: candidates, stats } = keywordCandidatePairs(memories, columns, keywords);
  const groups = ruleGroupPositions(memories, columns, keywords);
  const { pairs, rule } = withRulePairs(memories, keywords, candidates, groups);

  const embedder = options.embedder ?? null;
  const method: SimilarityMethod = embedder ? 'embedding' : 'lexical';
  const threshold = embedder ? EMBEDDING_SIMILARITY_THRESHOLD : LEXICAL_SIMILARITY_THRESHOLD;
  const { similarity, embedded } = embedder
    ? await embeddingSimilarity(memories, pairs, embedder, options.signal)
    : { similarity: lexicalSimilarity(memories, pairs), embedded: 0 };

  const kept: number[] = [];
  let rulePairs = 0;
  for (let i = 0; i < pairs.length; i++) {
    if (rule[i] !== NO_RULE) rulePairs += 1;
    else if (similarity[i]! < threshold) continue;
    kept.push(i);
  }
  const { older, newer } = pairs;
  const { ids } = columns;
  const order = bestFirst(kept, similarity, pairs, columns.idRank);
  const found: CandidatePair[] = [];
  for (const i of order) {
    found.push({
      older: ids[older[i]!]!,
      newer: ids[newer[i]!]!,
      jaccard: pairs.score[i]!,
      similarity: similarity[i]!,
      method,
      rule: rule[i] === NO_RULE ? null : ruleKinds[rule[i]!]!,
    });
  }
  return {
    pairs: found,
    groups: groups.map(({ kind, members }) => ({
      kind,
      members: members.map((position) => ids[position]!),
    })),
    method,
    threshold,
    stats: { ...stats, embedded, belowSimilarity: pairs.length - kept.length, rulePairs },
  };
}

/**
 * The keyword candidates, each marked with its rule group's kind when both memories are in one,
 * then each rule group member not yet paired with its group's newest memory (into which all are
 * merged), whatever their keywords.
 */
function withRulePairs(
  memories: readonly ConsolidationMemory[],
  keywords: NumberedKeywords,
  pairs: PairList,
  groups: readonly RuleGroupPositions[],
): { pairs: PairList; rule: Int8Array } {
  const groupOf = new Int32Array(memories.length).fill(-1);
  let extra = 0;
  groups.forEach((group, index) => {
    for (const position of group.members) groupOf[position] = index;
    extra += group.members.length - 1;
  });
  const rule = new Int8Array(pairs.length + extra).fill(NO_RULE);
  const candidates = pairs.length;
  const seen = new Set<number>();
  for (let i = 0; i < candidates; i++) {
    const group = groupOf[pairs.older[i]!]!;
    if (group === -1 || group !== groupOf[pairs.newer[i]!]) continue;
    rule[i] = ruleKinds.indexOf(groups[group]!.kind);
    seen.add(pairs.older[i]! * memories.length + pairs.newer[i]!);
  }
  for (const group of groups) {
    const newer = group.members.at(-1)!;
    for (const older of group.members.slice(0, -1)) {
      if (seen.has(older * memories.length + newer)) continue;
      rule[pairs.length] = ruleKinds.indexOf(group.kind);
      pairs.push(older, newer, keywordJaccard(keywords, older, newer));
    }
  }
  return { pairs, rule };
}

/** The Jaccard of two memories' numbered keyword sets (each set short: a nested walk). */
function keywordJaccard({ start, ids }: NumberedKeywords, a: number, b: number): number {
  let shared = 0;
  for (let i = start[a]!; i < start[a + 1]!; i++)
    for (let j = start[b]!; j < start[b + 1]!; j++) if (ids[i] === ids[j]) shared += 1;
  return jaccard(start[a + 1]! - start[a]!, start[b + 1]! - start[b]!, shared);
}
