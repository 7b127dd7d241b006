import { describe, expect, it } from 'vitest';

import { memoryTimeWarning } from '../../../../src/core/parse/memoryTime';
import type { MemoryRecord } from '../../../../src/store/db/records';
import { timeWarningsByRun } from '../../../../src/ui/runs/timeWarnings';

let next = 0;
const memory = (overrides: Partial<MemoryRecord>): MemoryRecord => ({
  id: `m${next++}`,
  conversationId: 'seed',
  runId: 'run-1',
  windowIndex: 0,
  modelId: 'DimMem-4B',
  origin: 'extracted',
  edited: false,
  createdAt: 0,
  messageId: 'msg-1',
  messageText: 'I went to Bologna last spring.',
  messageTimestamp: 0,
  sourceIdInWindow: 1,
  content: 'The user went to Bologna.',
  memoryType: 'episodic',
  time: '',
  timeStart: null,
  timeEnd: null,
  location: 'Bologna',
  reason: '',
  purpose: '',
  keywords: ['Bologna'],
  ...overrides,
});

describe('time warnings of the Runs view', () => {
  it('lists, by run and window, only the memories whose time is not a date', () => {
    const spring = memory({ time: 'spring 2023', content: 'The user went to Bologna in spring.' });
    const reversed = memory({ windowIndex: 2, time: '2023-11-30/2023-09-01' });
    const otherRun = memory({ runId: 'run-2', time: 'last week' });
    const memories = [
      memory({ time: '2023-04-24' }),
      spring,
      memory({ time: '' }),
      memory({ windowIndex: 2, time: '2023-09-01/2023-11-30' }),
      reversed,
      otherRun,
    ];
    const byRun = timeWarningsByRun(memories);
    expect([...byRun.keys()]).toEqual(['run-1', 'run-2']);
    const run1 = byRun.get('run-1')!;
    expect([...run1.keys()]).toEqual([0, 2]);
    expect(run1.get(0)).toEqual([
      {
        memoryId: spring.id,
        content: 'The user went to Bologna in spring.',
        reason: memoryTimeWarning('spring 2023'),
      },
    ]);
    expect(run1.get(2)!.map((warning) => warning.memoryId)).toEqual([reversed.id]);
    expect(byRun.get('run-2')!.get(0)![0]!.reason).toMatch(/^time "last week" is neither a date/);
  });

  it('has nothing to say once the time is edited into a date', () => {
    const edited = memory({ time: '2023-04-01/2023-06-30', edited: true });
    expect(timeWarningsByRun([edited]).size).toBe(0);
  });
});
