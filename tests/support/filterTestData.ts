import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { FilterableMemory } from '../../src/core/filter';
import type { AnswerMemory } from '../../src/core/schema/answer';
import { answerSchema } from '../../src/core/schema/answer';
import { parseNaiveIso } from '../../src/core/time/localTime';

const fixtures = path.resolve(__dirname, '../fixtures');

export interface SeedMemory extends FilterableMemory {
  messageText: string;
}

/** The seed's recorded answer, with each source id resolved to its line of the conversation. */
export function seedMemories(): SeedMemory[] {
  const lines = readFileSync(path.join(fixtures, 'seed/conversation.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const messages = lines.map((line, index) => {
    const match = /^\[([^,]+), \w{3}\] \d+\.User: (.*)$/.exec(line);
    if (!match) throw new Error(`unexpected seed line: ${line}`);
    return { id: `m${index}`, timestamp: parseNaiveIso(match[1]!)!, text: match[2]! };
  });
  return seedAnswer().map((memory, index) => {
    const message = messages[memory.source_id - 1]!;
    const [first = '', second] = memory.dimension.time.split('/');
    const timeStart = parseNaiveIso(first);
    return {
      id: `seed-${index}`,
      conversationId: 'seed',
      messageId: message.id,
      messageText: message.text,
      messageTimestamp: message.timestamp,
      content: memory.content,
      memoryType: memory.dimension.memory_type,
      time: memory.dimension.time,
      timeStart,
      timeEnd: second === undefined ? timeStart : parseNaiveIso(second),
      location: memory.dimension.location,
      reason: memory.dimension.reason,
      purpose: memory.dimension.purpose,
      keywords: memory.dimension.keywords,
      edited: false,
    };
  });
}

export function seedAnswer(): AnswerMemory[] {
  const raw: unknown = JSON.parse(
    readFileSync(path.join(fixtures, 'seed/replay-window0.json'), 'utf8'),
  );
  return answerSchema.parse(raw).memories;
}

/** Distinct words (4+ letters) from the turns of a LoCoMo conversation. */
export function locomoVocabulary(file = '26.json'): string[] {
  const data = JSON.parse(readFileSync(path.join(fixtures, 'locomo', file), 'utf8')) as Record<
    string,
    unknown
  >;
  const words = new Set<string>();
  for (const [key, value] of Object.entries(data)) {
    if (!/^session_\d+$/.test(key) || !Array.isArray(value)) continue;
    for (const turn of value as { text?: unknown }[]) {
      if (typeof turn.text !== 'string') continue;
      for (const word of turn.text.toLowerCase().match(/[a-z]{4,}/g) ?? []) words.add(word);
    }
  }
  return [...words];
}
