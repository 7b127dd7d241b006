import { describe, expect, it } from 'vitest';

import type { WindowRecord } from '../../../../src/store/db/records';
import { estimateSeconds, measuredFromWindows } from '../../../../src/ui/runs/runEstimate';

const window = (overrides: Partial<WindowRecord>): WindowRecord => ({
  runId: 'run-1',
  index: 0,
  conversationId: 'seed',
  windowInConversation: 0,
  messageIds: [],
  overlap: 0,
  promptTokens: 1600,
  maxTokens: 3000,
  status: 'done',
  rawAnswer: '{"memories":[]}',
  finishReason: 'stop',
  usage: { promptTokens: 1600, completionTokens: 1900 },
  timings: { prefillTokensPerSecond: 400, decodeTokensPerSecond: 20, totalSeconds: 99 },
  error: null,
  memoryCount: 16,
  rejected: [],
  attempts: 1,
  startedAt: 0,
  finishedAt: 1000,
  ...overrides,
});

describe('run estimates from measured speed', () => {
  it('has no time estimate before any speed was measured', () => {
    expect(estimateSeconds(1600, 1800, { prefill: null, decode: null })).toBeNull();
  });

  it('adds reading the prompt and writing the answer at the measured speeds', () => {
    expect(estimateSeconds(1600, 1900, { prefill: 400, decode: 20 })).toBeCloseTo(4 + 95);
  });

  it('takes the latest finished window’s speeds and the average answer length', () => {
    const measured = measuredFromWindows([
      window({ finishedAt: 1000 }),
      window({
        index: 1,
        finishedAt: 2000,
        usage: { promptTokens: 1500, completionTokens: 1100 },
        timings: { prefillTokensPerSecond: 500, decodeTokensPerSecond: 30, totalSeconds: 40 },
      }),
      window({ index: 2, status: 'failed', usage: null, timings: null, finishedAt: 3000 }),
    ]);
    expect(measured.speeds).toEqual({ prefill: 500, decode: 30 });
    expect(measured.answerTokens).toBe(1500);
  });
});
