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

/** Slots whose word sequence holds `sequence`, found through its rarest word's slots. */
function slotsWithSequence(index: SearchIndex, sequence: string): number[] {
  const words = sequence.trim().split(' ');
  let rarest: number[] | undefined;
  for (const word of words) {
    const slots = index.wordSlots.get(word);
    if (!slots) return [];
    if (!rarest || slots.length < rarest.length) rarest = slots;
  }
  if (!rarest) return [];
  if (words.length === 1) return rarest;
  return rarest.filter((slot) => index.wordSequences[slot]!.includes(sequence));
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
  const top = new TopRanked(topK, index.ids);
  const slots = index.memories.length;
  const { weights } = query;
  const scores = new Float64Array(slots);
  if (weights.keywordTokens !== undefined && query.words.length > 0) {
    const step = weights.keywordTokens / query.words.length;
    for (const word of query.words)
      for (const slot of index.wordSlots.get(word) ?? []) scores[slot] = scores[slot]! + step;
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
  for (let slot = 0; slot < slots; slot++) {
    if (index.memories[slot] === null) continue;
    let score = scores[slot]!;
    if (typeWeight > 0 && typeMask & (1 << index.types[slot]!)) score += typeWeight;
    if (time !== null && timeWeight > 0) {
      const start = index.timeStarts[slot]!;
      const end = index.timeEnds[slot]!;
      if (
        memoryMatchesTime(
          time,
          Number.isNaN(start) ? null : start,
          Number.isNaN(end) ? null : end,
          index.messageTimes[slot]!,
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
  const sequence = index.wordSequences[slot]!;
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
    parts.location = sequence.includes(query.location) ? 1 : 0;
  }
  if (weights.keywordPhrase !== undefined) {
    parts.keywordPhrase =
      query.phrases.filter((phrase) => sequence.includes(phrase)).length / query.phrases.length;
    const words = new Set(sequence.trim().split(' '));
    parts.keywordTokens = query.words.filter((word) => words.has(word)).length / query.words.length;
  }
  let score = 0;
  for (const [part, value] of Object.entries(parts))
    score += (weights[part as StructuredPart] ?? 0) * value;
  return { score, parts };
}
