import { memoryTypes } from '../schema/answer';
import type { SearchIndex } from './searchIndex';
import { memoryMatchesTime, type TimeConstraint } from './timeConstraint';
import { tokenize } from './tokenize';
import { TopRanked, type Scored } from './topRanked';
import type { QueryAnalysis } from './types';

/** The reference's weights (`structured_search.py`), renormalised over the parts a query uses. */
export const structuredWeights = {
  type: 0.15,
  time: 0.3,
  location: 0.2,
  keywordPhrase: 0.15,
  keywordTokens: 0.15,
} as const;
export type StructuredPart = keyof typeof structuredWeights;

/** One memory's structured score and its parts (each 0–1; absent when the query has no such part). */
export interface StructuredScore {
  score: number;
  parts: Partial<Record<StructuredPart, number>>;
}

/** What the structured route looks for, prepared once per query. */
export interface StructuredQuery {
  types: number[];
  time: TimeConstraint | null;
  /** Word sequences (`" new york "`) that must appear in the memory's fields. */
  location: string | null;
  phrases: string[];
  words: string[];
  weights: Partial<Record<StructuredPart, number>>;
}

const sequenceOf = (text: string) => {
  const words = tokenize(text);
  return words.length === 0 ? null : ` ${words.join(' ')} `;
};

export function structuredQuery(
  analysis: QueryAnalysis,
  time: TimeConstraint | null,
): StructuredQuery {
  const { dimension } = analysis;
  const types = [...new Set(dimension.target_memory_type)].map((type) => memoryTypes.indexOf(type));
  const location = dimension.location.trim() === '' ? null : sequenceOf(dimension.location);
  const phrases = dimension.keywords.map(sequenceOf).filter((p): p is string => p !== null);
  const words = [...new Set(dimension.keywords.flatMap(tokenize))];
  const used: StructuredPart[] = [];
  if (types.length > 0) used.push('type');
  if (time !== null) used.push('time');
  if (location !== null) used.push('location');
  if (phrases.length > 0) used.push('keywordPhrase', 'keywordTokens');
  const total = used.reduce((sum, part) => sum + structuredWeights[part], 0);
  const weights: StructuredQuery['weights'] = {};
  for (const part of used) weights[part] = structuredWeights[part] / total;
  return { types, time, location, phrases, words, weights };
}

/** A sequence's words as the index's word ids; null when one of them is in no memory. */
function sequenceIds(index: SearchIndex, sequence: string): number[] | null {
  const ids: number[] = [];
  for (const word of sequence.trim().split(' ')) {
    const id = index.words.idOf(word);
    if (id === undefined) return null;
    ids.push(id);
  }
  return ids;
}

/** Slots holding `sequence` (whole words, in order, in one field), through its rarest word's slots. */
function slotsWithSequence(index: SearchIndex, sequence: string): number[] {
  const ids = sequenceIds(index, sequence);
  if (ids === null || ids.length === 0) return [];
  const { fieldSlots } = index.words;
  const rarest = ids.reduce((best, id) =>
    fieldSlots[id]!.length < fieldSlots[best]!.length ? id : best,
  );
  if (ids.length === 1) return fieldSlots[rarest]!;
  return fieldSlots[rarest]!.filter((slot) => index.words.holdsRun(slot, ids));
}

/**
 * Every memory's structured score: type (0.15), time (0.30), location (0.20), keyword phrases
 * (0.15) and keyword words (0.15), renormalised over the parts the query uses. Phrases and places
 * match whole words in order (`art` does not match `start`); times match through the memory's own
 * time range or its source message's moment. Memories scoring 0 are left out.
 */
export function structuredRoute(
  index: SearchIndex,
  query: StructuredQuery,
  topK: number,
): Scored[] {
  const top = new TopRanked(topK, index.idRanks());
  const slots = index.memories.length;
  const { weights } = query;
  const scores = new Float64Array(slots);
  if (weights.keywordTokens !== undefined && query.words.length > 0) {
    const step = weights.keywordTokens / query.words.length;
    for (const word of query.words) {
      const id = index.words.idOf(word);
      if (id === undefined) continue;
      for (const slot of index.words.fieldSlots[id]!) scores[slot] = scores[slot]! + step;
    }
  }
  if (weights.keywordPhrase !== undefined) {
    const step = weights.keywordPhrase / query.phrases.length;
    for (const phrase of query.phrases)
      for (const slot of slotsWithSequence(index, phrase)) scores[slot] = scores[slot]! + step;
  }
  if (weights.location !== undefined && query.location !== null) {
    for (const slot of slotsWithSequence(index, query.location))
      scores[slot] = scores[slot]! + weights.location;
  }
  const typeWeight = weights.type ?? 0;
  const typeMask = query.types.reduce((mask, code) => mask | (1 << code), 0);
  const timeWeight = weights.time ?? 0;
  const time = query.time;
  const { memories, types, timeStarts, timeEnds, messageTimes } = index;
  // Read once: a module's export read in the loop costs a lookup per memory where modules are
  // compiled to CommonJS (tsx, the bench).
  const matchesTime = memoryMatchesTime;
  for (let slot = 0; slot < slots; slot++) {
    if (memories[slot] === null) continue;
    let score = scores[slot]!;
    if (typeWeight > 0 && typeMask & (1 << types[slot]!)) score += typeWeight;
    if (time !== null && timeWeight > 0) {
      const start = timeStarts[slot]!;
      const end = timeEnds[slot]!;
      if (
        matchesTime(
          time,
          Number.isNaN(start) ? null : start,
          Number.isNaN(end) ? null : end,
          messageTimes[slot]!,
        )
      ) {
        score += timeWeight;
      }
    }
    if (score > 1e-12) top.offer(slot, score);
  }
  return top.result();
}

/** The parts of one memory's structured score, to say why it ranked where it did. */
export function structuredScoreOf(
  index: SearchIndex,
  query: StructuredQuery,
  slot: number,
): StructuredScore {
  const parts: StructuredScore['parts'] = {};
  const { words } = index;
  const holds = (sequence: string) => {
    const ids = sequenceIds(index, sequence);
    return ids !== null && ids.length > 0 && words.holdsRun(slot, ids);
  };
  const { weights } = query;
  if (weights.type !== undefined) parts.type = query.types.includes(index.types[slot]!) ? 1 : 0;
  if (weights.time !== undefined && query.time !== null) {
    const start = index.timeStarts[slot]!;
    const end = index.timeEnds[slot]!;
    parts.time = memoryMatchesTime(
      query.time,
      Number.isNaN(start) ? null : start,
      Number.isNaN(end) ? null : end,
      index.messageTimes[slot]!,
    )
      ? 1
      : 0;
  }
  if (weights.location !== undefined && query.location !== null) {
    parts.location = holds(query.location) ? 1 : 0;
  }
  if (weights.keywordPhrase !== undefined) {
    parts.keywordPhrase = query.phrases.filter(holds).length / query.phrases.length;
    parts.keywordTokens = query.words.filter(holds).length / query.words.length;
  }
  let score = 0;
  for (const [part, value] of Object.entries(parts))
    score += (weights[part as StructuredPart] ?? 0) * value;
  return { score, parts };
}
