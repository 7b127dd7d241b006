import type { AnswerMemory } from '../schema/answer';
import { seededRandom } from '../seededRandom';
import { parseNaiveIso, toIsoDate } from '../time/localTime';
import type { LocalTime } from '../time/localTime';
import type { FilterableMemory } from './types';

const DAY = 86_400_000;

export interface SyntheticMemory extends FilterableMemory {
  messageText: string;
}

export interface SyntheticOptions {
  /** Real model answers to vary (e.g. the seed's recorded answer). */
  templates: readonly AnswerMemory[];
  /** Real words to mix in (e.g. from LoCoMo turns), so search terms and keywords vary widely. */
  vocabulary: readonly string[];
  conversations?: number;
  /** First message time. */
  start?: LocalTime;
  seed?: number;
}

/**
 * Many realistic memories for the stress view and the benchmark: real answers with their dates
 * shifted across a few years, real words mixed into content and keywords, spread over
 * conversations. Never shown as real results; test and benchmark data only.
 */
export function syntheticMemories(count: number, options: SyntheticOptions): SyntheticMemory[] {
  const { templates, vocabulary } = options;
  if (templates.length === 0 || vocabulary.length === 0) {
    throw new Error('syntheticMemories needs at least one template and one word');
  }
  const conversations = options.conversations ?? Math.max(1, Math.ceil(count / 400));
  const start = options.start ?? parseNaiveIso('2021-01-04T09:00:00')!;
  const next = seededRandom(options.seed ?? 1);
  const word = () => vocabulary[Math.floor(next() * vocabulary.length)]!;
  const memories: SyntheticMemory[] = [];
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length]!;
    const conversation = i % conversations;
    // Each conversation spans a few weeks; conversations start a few days apart.
    const messageTimestamp =
      start + conversation * 3 * DAY + Math.floor(i / conversations) * 37 * 60_000;
    const shift = messageTimestamp - start;
    const extra = [word(), word()];
    const { time, timeStart, timeEnd } = shiftedTime(template.dimension.time, shift);
    memories.push({
      id: `syn-${i}`,
      conversationId: `conv-${conversation}`,
      messageId: `m${Math.floor(i / conversations / 2)}`,
      messageText: `${template.content} ${extra.join(' ')}`,
      messageTimestamp,
      content: `${template.content} (${extra.join(', ')})`,
      memoryType: template.dimension.memory_type,
      time,
      timeStart,
      timeEnd,
      location: next() < 0.3 ? capitalize(word()) : template.dimension.location,
      reason: template.dimension.reason,
      purpose: template.dimension.purpose,
      keywords: [...template.dimension.keywords.slice(0, 3), ...extra],
      edited: i % 97 === 0,
    });
  }
  return memories;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function shiftedTime(
  time: string,
  shift: number,
): { time: string; timeStart: LocalTime | null; timeEnd: LocalTime | null } {
  const [first = '', second] = time.split('/');
  const start = parseNaiveIso(first);
  const end = second === undefined ? start : parseNaiveIso(second);
  if (start === null || end === null) return { time: '', timeStart: null, timeEnd: null };
  // Whole days only, so shifted times stay plain dates.
  const days = Math.floor(shift / DAY) * DAY;
  const shiftedStart = start + days;
  const shiftedEnd = end + days;
  return {
    time:
      second === undefined
        ? toIsoDate(shiftedStart)
        : `${toIsoDate(shiftedStart)}/${toIsoDate(shiftedEnd)}`,
    timeStart: shiftedStart,
    timeEnd: shiftedEnd,
  };
}
