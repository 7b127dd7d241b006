import type { DimmemDb } from '../../src/store/db/db';
import type { RunService, RunServiceDeps } from '../../src/store/runs/runService';
import { createRunService } from '../../src/store/runs/runService';
import type { ExtractionEngine } from '../../src/engine/types';
import { createGpuLock } from '../../src/store/tabs/gpuLock';
import type { LockManagerLike } from '../../src/store/tabs/lockManager';
import { createPublisher } from '../../src/store/tabs/publish';
import { createLockHub } from './storeFixtures';

// Run ids count on across the services of a test file, so two tabs never share one.
let runCounter = 0;

/**
 * A run service on `db` with `engine`, wired as appServices wires it for one tab: no tokenizer
 * (windows by message count), the GPU lock of `locks`, changes published to this tab's stores and
 * no other tab, a clock that ticks 1 ms a reading from 1,000, run ids `run-1`, `run-2`, ….
 */
export function testRunService(
  db: DimmemDb,
  engine: ExtractionEngine | null,
  locks: LockManagerLike = createLockHub().client('tab'),
  overrides: Partial<RunServiceDeps> = {},
): RunService {
  let clock = 1_000;
  const channel = overrides.channel ?? null;
  return createRunService({
    db: () => Promise.resolve(db),
    getEngine: () => engine,
    loadTokenCounter: null,
    lock: createGpuLock(locks),
    publish: createPublisher({ db: () => Promise.resolve(db), channel }).publish,
    channel,
    now: () => (clock += 1),
    newRunId: () => `run-${(runCounter += 1)}`,
    ...overrides,
  });
}
