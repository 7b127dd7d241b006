import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  answerMemorySchema,
  answerSchema,
  dimensionSchema,
  memoryTypes,
} from '../../../../src/core/schema/answer';
import { formatSchemaIssues } from '../../../../src/core/schema/formatSchemaIssues';
import { answerJsonSchema, answerJsonSchemaText } from '../../../../src/core/schema/jsonSchema';

const seedDir = path.resolve(__dirname, '../../../fixtures/seed');
const readAnswer = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(seedDir, name), 'utf8'));

/** Memory 3 of the replayed card answer, as a fresh object to break. */
const cardMemory = (): Record<string, unknown> & { dimension: Record<string, unknown> } => {
  const answer = readAnswer('replay-window0.json') as {
    memories: (Record<string, unknown> & { dimension: Record<string, unknown> })[];
  };
  return answer.memories[3]!;
};

/** Validates `{ memories: [card memory 0..2, broken, ...] }` and returns the readable message. */
function messageForBrokenMemory(breakIt: (memory: ReturnType<typeof cardMemory>) => void): string {
  const answer = readAnswer('replay-window0.json') as { memories: unknown[] };
  const broken = cardMemory();
  breakIt(broken);
  answer.memories[3] = broken;
  const result = answerSchema.safeParse(answer, { reportInput: true });
  expect(result.success).toBe(false);
  return formatSchemaIssues(result.error!);
}

describe('answer schema (zod)', () => {
  it("accepts the model card's answer and its renumbered replay", () => {
    const card = answerSchema.parse(readAnswer('expected-output.json'));
    expect(card.memories).toHaveLength(17);
    const replay = answerSchema.parse(readAnswer('replay-window0.json'));
    expect(replay.memories).toHaveLength(16);
    expect(replay.memories[4]).toMatchObject({
      source_id: 7,
      dimension: { memory_type: 'episodic', time: '2023-04-27' },
    });
  });

  it('accepts an empty answer: a window may hold nothing worth remembering', () => {
    expect(answerSchema.safeParse({ memories: [] }).success).toBe(true);
  });

  it('names a missing key with its path', () => {
    const message = messageForBrokenMemory((memory) => {
      delete memory.dimension.purpose;
    });
    expect(message).toBe('memories[3].dimension.purpose: missing (expected a string)');
  });

  it('names an extra key', () => {
    expect(messageForBrokenMemory((memory) => (memory.confidence = 0.9))).toBe(
      'memories[3]: unexpected key "confidence"',
    );
    expect(messageForBrokenMemory((memory) => (memory.dimension.mood = 'happy'))).toBe(
      'memories[3].dimension: unexpected key "mood"',
    );
  });

  it('lists the allowed memory types', () => {
    const message = messageForBrokenMemory((memory) => (memory.dimension.memory_type = 'feeling'));
    expect(message).toBe(
      'memories[3].dimension.memory_type: expected one of fact|episodic|profile, got "feeling"',
    );
  });

  it('requires source_id to be a whole number from 1', () => {
    expect(messageForBrokenMemory((memory) => (memory.source_id = 0))).toBe(
      'memories[3].source_id: must be ≥ 1, got 0',
    );
    expect(messageForBrokenMemory((memory) => (memory.source_id = 1.5))).toBe(
      'memories[3].source_id: expected an integer, got 1.5',
    );
    expect(messageForBrokenMemory((memory) => (memory.source_id = '5'))).toBe(
      'memories[3].source_id: expected a number, got "5"',
    );
  });

  it('requires keywords to be strings, pointing at the bad one', () => {
    const message = messageForBrokenMemory((memory) => (memory.dimension.keywords = ['Paris', 7]));
    expect(message).toBe('memories[3].dimension.keywords[1]: expected a string, got 7');
  });

  it('reports every problem of a memory, separated', () => {
    const message = messageForBrokenMemory((memory) => {
      memory.source_id = 0;
      delete memory.content;
    });
    expect(message.split('; ')).toEqual([
      'memories[3].source_id: must be ≥ 1, got 0',
      'memories[3].content: missing (expected a string)',
    ]);
  });

  it('prefixes a base path for a memory validated on its own', () => {
    const memory = cardMemory();
    memory.dimension.time = 20230424;
    const result = answerMemorySchema.safeParse(memory, { reportInput: true });
    expect(formatSchemaIssues(result.error!, ['memories', 12])).toBe(
      'memories[12].dimension.time: expected a string, got 20230424',
    );
  });

  it('names the answer itself when the top level is wrong', () => {
    const result = answerSchema.safeParse([], { reportInput: true });
    expect(formatSchemaIssues(result.error!)).toBe('(answer): expected an object, got an array');
  });
});

type JsonSchemaNode = {
  type?: string;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchemaNode;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
};

function objectNodes(node: JsonSchemaNode, at = '#'): [string, JsonSchemaNode][] {
  const found: [string, JsonSchemaNode][] = node.type === 'object' ? [[at, node]] : [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    found.push(...objectNodes(child, `${at}/${key}`));
  }
  if (node.items) found.push(...objectNodes(node.items, `${at}/items`));
  return found;
}

describe('JSON Schema for constrained decoding', () => {
  const root = answerJsonSchema as JsonSchemaNode;
  const memory = root.properties!.memories!.items!;
  const dimension = memory.properties!.dimension!;

  it('is derived from the zod schema: the same keys, all required, nothing extra anywhere', () => {
    const objects = objectNodes(root);
    expect(objects.map(([at]) => at)).toEqual([
      '#',
      '#/memories/items',
      '#/memories/items/dimension',
    ]);
    const zodKeys = [answerSchema, answerMemorySchema, dimensionSchema].map((schema) =>
      Object.keys(schema.shape),
    );
    objects.forEach(([, node], index) => {
      expect(node.additionalProperties).toBe(false);
      expect(Object.keys(node.properties!)).toEqual(zodKeys[index]);
      expect(node.required).toEqual(zodKeys[index]);
    });
  });

  it("orders keys as the card's answer does: xgrammar makes the model write them in schema order", () => {
    const card = readAnswer('expected-output.json') as {
      memories: (Record<string, unknown> & { dimension: Record<string, unknown> })[];
    };
    for (const cardMemory of card.memories) {
      expect(Object.keys(memory.properties!)).toEqual(Object.keys(cardMemory));
      expect(Object.keys(dimension.properties!)).toEqual(Object.keys(cardMemory.dimension));
    }
  });

  it('takes the memory types from the same list as zod', () => {
    expect(dimension.properties!.memory_type!.enum).toEqual([...memoryTypes]);
  });

  it('types every field as design §3 says', () => {
    expect(memory.properties!.content!.type).toBe('string');
    for (const key of ['time', 'location', 'reason', 'purpose']) {
      expect(dimension.properties![key]!.type).toBe('string');
    }
    expect(dimension.properties!.keywords).toEqual({ type: 'array', items: { type: 'string' } });
  });

  it('bounds source_id below at 1 and drops the safe-integer maximum zod adds', () => {
    // zod's z.int() emits maximum 9007199254740991, which xgrammar expands into 16 alternatives.
    expect(memory.properties!.source_id).toEqual({ type: 'integer', minimum: 1 });
  });

  it('is handed to WebLLM as the same schema in text form', () => {
    expect(JSON.parse(answerJsonSchemaText)).toEqual(answerJsonSchema);
  });
});
