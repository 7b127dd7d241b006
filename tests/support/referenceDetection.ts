/**
 * TEST ONLY: consolidation's detection as it was before it was optimised (commit f06c3bd), kept as
 * the reference that `detectPairs` must equal exactly. Written the plain way — strings, Maps,
 * objects, full sorts — so that it shares nothing with the optimised code but the leaf helpers
 * that did not change (`memoryOwner`, search's `tokenize` and `stopwords`). The keyword key, the
 * rule texts, the lexical similarity and the source-time order are written out again here from
 * the old code.
 */
import type {
  CandidatePair,
  ConsolidationMemory,
  Detection,
  KeywordBlockingStats,
  RuleGroup,
  RuleKind,
  SimilarityMethod,
} from '../../src/core/consolidate';
import { memoryOwner } from '../../src/core/consolidate';
import type { Embedder } from '../../src/core/search';
import { stopwords } from '../../src/core/search/stopwords';
import { tokenize } from '../../src/core/search/tokenize';

const KEYWORD_JACCARD_THRESHOLD = 0.3;
const CANDIDATES_PER_MEMORY = 10;
const KEYWORD_NEIGHBOURS = 512;
const EMBEDDING_SIMILARITY_THRESHOLD = 0.7;
const LEXICAL_SIMILARITY_THRESHOLD = 0.5;
const EMBED_BATCH = 256;

/** The content's distinct words, stopwords left out. */
function contentWords(content: string): Set<string> {
  const words = new Set<string>();
  for (const word of tokenize(content)) if (!stopwords.has(word)) words.add(word);
  return words;
}

function wordSetCosine(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared += 1;
  return shared / Math.sqrt(a.size * b.size);
}

/** Trimmed, lower-cased, each once, empty ones left out; in order of first appearance. */
function keywordSet(keywords: readonly string[]): string[] {
  const set = new Set<string>();
  for (const keyword of keywords) {
    const key = keyword.trim().toLowerCase();
    if (key !== '') set.add(key);
  }
  return [...set];
}

const jaccard = (sizeA: number, sizeB: number, shared: number): number =>
  shared === 0 ? 0 : shared / (sizeA + sizeB - shared);

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The earlier message time, then the smaller id. */
const compareSourceTime = (a: ConsolidationMemory, b: ConsolidationMemory): number =>
  a.messageTimestamp !== b.messageTimestamp
    ? a.messageTimestamp - b.messageTimestamp
    : compareText(a.id, b.id);

const referenceExactText = (content: string): string =>
  content.normalize('NFKC').trim().replace(/\s+/g, ' ');

const referenceLooseText = (content: string): string =>
  content
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '');

interface Candidate {
  older: ConsolidationMemory;
  newer: ConsolidationMemory;
  jaccard: number;
}

/** Two dated episodes whose day ranges do not overlap (an undated end or start never counts). */
function daysApart(a: ConsolidationMemory, b: ConsolidationMemory): boolean {
  const before = (end: number | null | undefined, start: number | null | undefined) =>
    end !== null && end !== undefined && start !== null && start !== undefined && end < start;
  return before(a.timeEnd, b.timeStart) || before(b.timeEnd, a.timeStart);
}

/**
 * Keyword blocking: per owner and type, each memory compared with every memory sharing a keyword
 * (on a keyword of more than 512 memories of the block, only with the 256 before and the 256 after
 * it in source-time order, and only such keywords count as shared); partners with Jaccard ≥ 0.3
 * (episodes on days apart left out), the best ten by Jaccard then id; each pair listed once.
 */
function referenceCandidates(memories: readonly ConsolidationMemory[]): {
  candidates: Candidate[];
  stats: KeywordBlockingStats;
} {
  const blocks = new Map<string, ConsolidationMemory[]>();
  const perType = new Map<string, number>();
  for (const memory of memories) {
    const key = `${memoryOwner(memory.conversationId)}\u0000${memory.memoryType}`;
    if (!blocks.has(key)) blocks.set(key, []);
    blocks.get(key)!.push(memory);
    perType.set(memory.memoryType, (perType.get(memory.memoryType) ?? 0) + 1);
  }
  let referencePairs = 0;
  for (const n of perType.values()) referencePairs += (n * (n - 1)) / 2;
  let comparedBothWays = 0;
  let apartBothWays = 0;
  const candidates: Candidate[] = [];
  for (const unsorted of blocks.values()) {
    const block = [...unsorted].sort(compareSourceTime);
    const keywordsOf = block.map((memory) => keywordSet(memory.keywords));
    const postings = new Map<string, number[]>();
    keywordsOf.forEach((keywords, rank) => {
      for (const keyword of keywords) {
        if (!postings.has(keyword)) postings.set(keyword, []);
        postings.get(keyword)!.push(rank);
      }
    });
    const best: { other: number; score: number }[][] = [];
    for (let rank = 0; rank < block.length; rank++) {
      const shared = new Map<number, number>();
      for (const keyword of keywordsOf[rank]!) {
        const posting = postings.get(keyword)!;
        const at = posting.indexOf(rank);
        const near =
          posting.length > KEYWORD_NEIGHBOURS
            ? posting.slice(
                Math.max(0, at - KEYWORD_NEIGHBOURS / 2),
                at + KEYWORD_NEIGHBOURS / 2 + 1,
              )
            : posting;
        for (const other of near)
          if (other !== rank) shared.set(other, (shared.get(other) ?? 0) + 1);
      }
      const kept: { other: number; score: number }[] = [];
      for (const [other, count] of shared) {
        comparedBothWays += 1;
        const score = jaccard(keywordsOf[rank]!.length, keywordsOf[other]!.length, count);
        if (score < KEYWORD_JACCARD_THRESHOLD) continue;
        if (block[rank]!.memoryType === 'episodic' && daysApart(block[rank]!, block[other]!)) {
          apartBothWays += 1;
          continue;
        }
        kept.push({ other, score });
      }
      kept.sort((a, b) => b.score - a.score || compareText(block[a.other]!.id, block[b.other]!.id));
      best.push(kept.slice(0, CANDIDATES_PER_MEMORY));
    }
    best.forEach((partners, rank) => {
      for (const { other, score } of partners) {
        if (other < rank && best[other]!.some((partner) => partner.other === rank)) continue;
        const [older, newer] = other < rank ? [other, rank] : [rank, other];
        candidates.push({ older: block[older]!, newer: block[newer]!, jaccard: score });
      }
    });
  }
  return {
    candidates,
    stats: {
      memories: memories.length,
      blocks: blocks.size,
      pairsCompared: comparedBothWays / 2,
      episodesApart: apartBothWays / 2,
      candidates: candidates.length,
      referencePairs,
    },
  };
}

/**
 * Exact duplicates (same owner, type, days for an episode, and NFKC text with spacing set aside)
 * and near-exact ones (also the same keyword set; only letters and digits compared, lower-cased),
 * locked memories never; joined transitively, each group older first, groups by oldest id.
 */
export function referenceRuleGroups(memories: readonly ConsolidationMemory[]): RuleGroup[] {
  const links = new Map<string, Set<string>>();
  const byExact = new Map<string, ConsolidationMemory[]>();
  const byLoose = new Map<string, ConsolidationMemory[]>();
  for (const memory of memories) {
    if (memory.locked) continue;
    const days = memory.memoryType === 'episodic' ? `${memory.timeStart}/${memory.timeEnd}` : '';
    const who = `${memoryOwner(memory.conversationId)}\u0000${memory.memoryType}\u0000${days}`;
    const exactKey = `${who}\u0000${referenceExactText(memory.content)}`;
    if (!byExact.has(exactKey)) byExact.set(exactKey, []);
    byExact.get(exactKey)!.push(memory);
    const keywords = keywordSet(memory.keywords).sort().join('\u0001');
    const looseKey = `${who}\u0000${keywords}\u0000${referenceLooseText(memory.content)}`;
    if (!byLoose.has(looseKey)) byLoose.set(looseKey, []);
    byLoose.get(looseKey)!.push(memory);
  }
  for (const same of [...byExact.values(), ...byLoose.values()]) {
    // Linking each to the first is enough: the groups are what links reach.
    for (const memory of same) {
      for (const [a, b] of [
        [memory.id, same[0]!.id],
        [same[0]!.id, memory.id],
      ] as const) {
        if (!links.has(a)) links.set(a, new Set());
        links.get(a)!.add(b);
      }
    }
  }
  const byId = new Map(memories.map((memory) => [memory.id, memory]));
  const placed = new Set<string>();
  const groups: RuleGroup[] = [];
  for (const memory of memories) {
    if (memory.locked || placed.has(memory.id)) continue;
    // Everything reachable from this memory through shared keys.
    const members: ConsolidationMemory[] = [];
    const queue = [memory.id];
    placed.add(memory.id);
    while (queue.length > 0) {
      const id = queue.shift()!;
      members.push(byId.get(id)!);
      for (const next of links.get(id) ?? [])
        if (!placed.has(next)) {
          placed.add(next);
          queue.push(next);
        }
    }
    if (members.length < 2) continue;
    members.sort(compareSourceTime);
    const text = referenceExactText(members[0]!.content);
    const kind: RuleKind = members.every((m) => referenceExactText(m.content) === text)
      ? 'exact'
      : 'near-exact';
    groups.push({ kind, members: members.map((m) => m.id) });
  }
  return groups.sort((a, b) => compareText(a.members[0]!, b.members[0]!));
}

interface Scored extends Candidate {
  rule: RuleKind | null;
}

/** What `detectPairs` returned before it was optimised, for the same memories and embedder. */
export async function referenceDetection(
  memories: readonly ConsolidationMemory[],
  embedder: Embedder | null = null,
): Promise<Detection> {
  const { candidates, stats } = referenceCandidates(memories);
  const groups = referenceRuleGroups(memories);
  const groupOf = new Map<string, RuleGroup>();
  for (const group of groups) for (const id of group.members) groupOf.set(id, group);
  const ruleOf = (a: ConsolidationMemory, b: ConsolidationMemory): RuleKind | null => {
    const group = groupOf.get(a.id);
    return group !== undefined && group === groupOf.get(b.id) ? group.kind : null;
  };
  const scored: Scored[] = candidates.map((candidate) => ({
    ...candidate,
    rule: ruleOf(candidate.older, candidate.newer),
  }));
  const listed = new Set(scored.map((pair) => `${pair.older.id}\u0000${pair.newer.id}`));
  const byId = new Map(memories.map((memory) => [memory.id, memory]));
  // Each group member not yet paired with the group's newest memory is, whatever its keywords.
  for (const group of groups) {
    const newer = byId.get(group.members.at(-1)!)!;
    for (const id of group.members.slice(0, -1)) {
      if (listed.has(`${id}\u0000${newer.id}`)) continue;
      const older = byId.get(id)!;
      const a = keywordSet(older.keywords);
      const b = keywordSet(newer.keywords);
      const shared = a.filter((keyword) => b.includes(keyword)).length;
      scored.push({ older, newer, jaccard: jaccard(a.length, b.length, shared), rule: group.kind });
    }
  }

  const method: SimilarityMethod = embedder ? 'embedding' : 'lexical';
  const threshold = embedder ? EMBEDDING_SIMILARITY_THRESHOLD : LEXICAL_SIMILARITY_THRESHOLD;
  let embedded = 0;
  let similarity: (a: ConsolidationMemory, b: ConsolidationMemory) => number;
  if (embedder) {
    // Each distinct text once, in order of first appearance in the pairs.
    const texts = [
      ...new Set(scored.flatMap((pair) => [pair.older.content.trim(), pair.newer.content.trim()])),
    ];
    const vectors = new Map<string, Float32Array>();
    for (let start = 0; start < texts.length; start += EMBED_BATCH) {
      const batch = texts.slice(start, start + EMBED_BATCH);
      const answer = await embedder.embed(batch);
      batch.forEach((text, i) => vectors.set(text, answer[i]!));
    }
    embedded = texts.length;
    similarity = (a, b) => {
      const x = vectors.get(a.content.trim())!;
      const y = vectors.get(b.content.trim())!;
      let sum = 0;
      for (let k = 0; k < x.length; k++) sum += x[k]! * y[k]!;
      return sum;
    };
  } else {
    similarity = (a, b) => wordSetCosine(contentWords(a.content), contentWords(b.content));
  }

  const pairs: CandidatePair[] = [];
  let belowSimilarity = 0;
  for (const pair of scored) {
    const value = Math.round(similarity(pair.older, pair.newer) * 1e4) / 1e4;
    if (pair.rule === null && value < threshold) {
      belowSimilarity += 1;
      continue;
    }
    pairs.push({
      older: pair.older.id,
      newer: pair.newer.id,
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
