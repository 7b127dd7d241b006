import { loadQwen3TokenCounter } from '../../core/windows';
import { getDb } from '../engine/connection';
import { getActiveEngine } from '../engine/engineStore';
import { sharedGpuLock } from '../tabs/gpuLock';
import type { RunService } from './runService';
import { createRunService } from './runService';
import { sharedTabChannel } from '../tabs/tabChannel';

let defaultService: RunService | null = null;

/** The app's run service: this tab's database, active engine, GPU lock and tab channel. */
export function getRunService(): RunService {
  defaultService ??= createRunService({
    db: getDb,
    getEngine: getActiveEngine,
    loadTokenCounter: loadQwen3TokenCounter,
    lock: sharedGpuLock(),
    channel: sharedTabChannel(),
    now: () => Date.now(),
    newRunId: () => `run-${crypto.randomUUID()}`,
  });
  return defaultService;
}
