import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { answerSchema } from '../../src/core/schema/answer';
import type { GenerateInput } from '../browser/protocol';
import { fixtureData } from './paths';

/** Distinct words (4+ letters) of every LoCoMo turn: what generated memories mix in. */
export function locomoVocabulary(): string[] {
  const dir = path.join(fixtureData, 'locomo');
  const words = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(data)) {
      if (!/^session_\d+$/.test(key) || !Array.isArray(value)) continue;
      for (const turn of value as { text?: unknown }[]) {
        if (typeof turn.text !== 'string') continue;
        for (const word of turn.text.toLowerCase().match(/[a-z]{4,}/g) ?? []) words.add(word);
      }
    }
  }
  return [...words].sort();
}

/** The model card's recorded answer: the real memories that generated ones vary. */
export function seedTemplates(): GenerateInput['templates'] {
  const text = readFileSync(path.join(fixtureData, 'seed/replay-window0.json'), 'utf8');
  return answerSchema.parse(JSON.parse(text)).memories;
}

/** The generator's input for `count` memories (the same on every run: the generator is seeded). */
export function generateInput(count: number): GenerateInput {
  return { count, templates: seedTemplates(), vocabulary: locomoVocabulary() };
}
