import { describe, expect, it } from 'vitest';

import { parseNaiveIso } from '../../../../src/core/time/localTime';
import type { MemoryEditDraft } from '../../../../src/ui/memories/memoryEdit';
import { validateEdit } from '../../../../src/ui/memories/memoryEdit';
import { seedAnswer } from '../../../support/filterTestData';

/** A draft as the form starts it, from the seed's recorded memory. */
function seedDraft(): MemoryEditDraft {
  const memory = seedAnswer().find((m) => m.dimension.time !== '')!;
  return {
    content: memory.content,
    memoryType: memory.dimension.memory_type,
    time: memory.dimension.time,
    location: memory.dimension.location,
    reason: memory.dimension.reason,
    purpose: memory.dimension.purpose,
    keywords: memory.dimension.keywords.join(', '),
  };
}

describe('editing a memory', () => {
  it('accepts a valid edit and parses its time into a day range', () => {
    const result = validateEdit({ ...seedDraft(), time: '2023-09-01/2023-11-30' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.edit.timeStart).toBe(parseNaiveIso('2023-09-01'));
    expect(result.edit.timeEnd).toBe(parseNaiveIso('2023-11-30'));
  });

  it('clears the time range when the time is emptied', () => {
    const result = validateEdit({ ...seedDraft(), time: '  ' });
    expect(result).toMatchObject({ ok: true, edit: { time: '', timeStart: null, timeEnd: null } });
  });

  it('cleans keywords: trimmed, empty ones dropped, case duplicates merged', () => {
    const result = validateEdit({ ...seedDraft(), keywords: ' Paris, paris ,, wine bars ' });
    expect(result).toMatchObject({ ok: true, edit: { keywords: ['Paris', 'wine bars'] } });
  });

  it('rejects what the answer schema or a reader would not accept, saying which field', () => {
    const result = validateEdit({
      ...seedDraft(),
      content: '   ',
      time: 'next week',
      memoryType: 'opinion',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['content', 'memoryType', 'time']);
    expect(result.errors.time).toMatch(/2023-04-24/);
    // A range that ends before it starts is not a time either.
    expect(validateEdit({ ...seedDraft(), time: '2023-11-30/2023-09-01' }).ok).toBe(false);
  });
});
