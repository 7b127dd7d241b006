import { describe, expect, it } from 'vitest';

import { createGpuLock } from '../../../../src/store/tabs/gpuLock';
import { createInProcessLockManager } from '../../../../src/store/tabs/inProcessLocks';
import type { TabMessage } from '../../../../src/store/tabs/tabChannel';
import { createTabChannel } from '../../../../src/store/tabs/tabChannel';
import {
  refreshStorageUsage,
  requestPersistentStorage,
} from '../../../../src/store/storage/storageQuota';
import { useStorageStore } from '../../../../src/store/storage/storageStore';

describe('GPU lock', () => {
  it('runs work when free, refuses at once when held, and queues a waiter until release', async () => {
    const manager = createInProcessLockManager();
    const tabA = createGpuLock(manager);
    const tabB = createGpuLock(manager);
    let release: () => void = () => undefined;
    const holding = tabA.tryWithLock(
      () => new Promise<string>((resolve) => (release = () => resolve('a'))),
    );
    await Promise.resolve();
    expect(await tabB.tryWithLock(async () => 'b')).toEqual({ acquired: false });
    expect(await tabB.isHeldElsewhere()).toBe(true);
    expect(await tabA.isHeldElsewhere()).toBe(false);

    const order: string[] = [];
    const waiting = tabB.waitForLock(async () => order.push('b ran'));
    await Promise.resolve();
    expect(order).toEqual([]);
    release();
    expect(await holding).toEqual({ acquired: true, value: 'a' });
    await waiting;
    expect(order).toEqual(['b ran']);
    expect(await tabB.isHeldElsewhere()).toBe(false);
  });

  it('stops waiting when the wait is aborted', async () => {
    const manager = createInProcessLockManager();
    let release: () => void = () => undefined;
    void createGpuLock(manager).tryWithLock(
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await Promise.resolve();
    const controller = new AbortController();
    let ran = false;
    const waiting = createGpuLock(manager).waitForLock(async () => (ran = true), controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ran).toBe(false);
  });
});

describe('tab channel', () => {
  it('delivers valid messages between tabs and ignores what it cannot read', async () => {
    const name = `test-${Math.random()}`;
    const sender = createTabChannel(new BroadcastChannel(name));
    const receiverChannel = new BroadcastChannel(name);
    const receiver = createTabChannel(receiverChannel);
    const received: TabMessage[] = [];
    const unsubscribe = receiver.subscribe((message) => received.push(message));

    receiverChannel.dispatchEvent(
      new MessageEvent('message', { data: { type: 'live', live: 'bogus' } }),
    );
    sender.post({ type: 'memories-removed', ids: ['a', 'b'] });
    sender.post({ type: 'reload', what: 'memories' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(received).toEqual([
      { type: 'memories-removed', ids: ['a', 'b'] },
      { type: 'reload', what: 'memories' },
    ]);
    unsubscribe();
    sender.close();
    receiver.close();
  });
});

describe('storage usage and persistence', () => {
  it('records usage and the persistence grant in the storage store', async () => {
    await refreshStorageUsage({ estimate: async () => ({ usage: 1234, quota: 10_000 }) });
    expect(useStorageStore.getState().usage).toEqual({ usedBytes: 1234, quotaBytes: 10_000 });
    let asked = 0;
    const granted = await requestPersistentStorage({
      persisted: async () => false,
      persist: async () => {
        asked += 1;
        return true;
      },
    });
    expect(granted).toBe(true);
    expect(asked).toBe(1);
    expect(useStorageStore.getState().persisted).toBe(true);
    expect(await requestPersistentStorage(null)).toBeNull();
  });
});
