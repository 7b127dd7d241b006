import { describe, expect, it } from 'vitest';

import { latestRun } from '../../../../src/store/consolidation/latestRun';

/** A run that waits until the test lets it finish (or its signal aborts it). */
function gatedWork() {
  const log: string[] = [];
  const finish: (() => void)[] = [];
  const signals: AbortSignal[] = [];
  const work = (signal: AbortSignal) => {
    const run = signals.push(signal);
    log.push(`start ${run}`);
    return new Promise<void>((resolve) => {
      finish.push(() => {
        log.push(`end ${run}${signal.aborted ? ' (aborted)' : ''}`);
        resolve();
      });
    });
  };
  return { work, log, finish, signals };
}

describe('latestRun', () => {
  it('aborts the run in progress, starts the newest after it, and skips one replaced before it began', async () => {
    const { work, log, finish, signals } = gatedWork();
    const start = latestRun(work);
    const done: string[] = [];
    const first = start().then(() => done.push('first'));
    expect(log).toEqual(['start 1']);
    const second = start().then(() => done.push('second'));
    const third = start().then(() => done.push('third'));
    expect(signals[0]!.aborted).toBe(true);
    // Nothing else starts while the first still runs: two runs never write at once.
    await Promise.resolve();
    expect(log).toEqual(['start 1']);
    finish[0]!();
    await new Promise((resolve) => setTimeout(resolve));
    // The second was replaced before it began; the third runs.
    expect(log).toEqual(['start 1', 'end 1 (aborted)', 'start 2']);
    expect(signals[1]!.aborted).toBe(false);
    expect(done).toEqual([]);
    finish[1]!();
    await Promise.all([first, second, third]);
    // Every caller waited for the newest run.
    expect(log).toEqual(['start 1', 'end 1 (aborted)', 'start 2', 'end 2']);
    expect(done.sort()).toEqual(['first', 'second', 'third']);

    // Idle again: the next start begins at once.
    const fourth = start();
    expect(log.at(-1)).toBe('start 3');
    finish[2]!();
    await fourth;
  });
});
