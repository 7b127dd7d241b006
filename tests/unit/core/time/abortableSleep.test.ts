import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { abortableSleep } from '../../../../src/core/time/abortableSleep';

describe('abortableSleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Whether the sleep has ended, after the timers moved on by `ms`. */
  async function endedAfter(sleep: Promise<void>, ms: number): Promise<boolean> {
    let ended = false;
    void sleep.then(() => (ended = true));
    await vi.advanceTimersByTimeAsync(ms);
    return ended;
  }

  it('waits the whole time when nothing stops it', async () => {
    const sleep = abortableSleep(1000);
    expect(await endedAfter(sleep, 999)).toBe(false);
    expect(await endedAfter(sleep, 1)).toBe(true);
  });

  it('ends at once, without throwing, when the signal fires, and leaves no timer behind', async () => {
    const controller = new AbortController();
    const sleep = abortableSleep(60_000, controller.signal);
    expect(await endedAfter(sleep, 10)).toBe(false);
    controller.abort(new Error('stop'));
    await expect(sleep).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not wait at all on a signal that already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const sleep = abortableSleep(60_000, controller.signal);
    expect(await endedAfter(sleep, 0)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops listening to the signal once it has waited', async () => {
    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    await endedAfter(abortableSleep(5, controller.signal), 5);
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
  });
});
