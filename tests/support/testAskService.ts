import type { AskDependencies } from '../../src/store/ask/askService';
import { createAskService } from '../../src/store/ask/askService';
import type { GpuWatch } from '../../src/store/ask/gpuWatch';
import type { DimmemDb } from '../../src/store/db/db';
import { createPublisher } from '../../src/store/tabs/publish';
import type { TabChannel } from '../../src/store/tabs/tabChannel';
import { freeGpu } from './gpuWatches';

/**
 * An ask service on `db` answering with `answerModel`, wired as appServices wires it for one tab:
 * changes published to this tab's stores and to `channel` (none: no other tab), question ids
 * `q1`, `q2`, … and a clock at 2023-09-10 12:00 UTC, one millisecond later per question.
 */
export function testAskService(
  db: DimmemDb,
  answerModel: AskDependencies['answerModel'],
  gpu: GpuWatch = freeGpu,
  channel: TabChannel | null = null,
) {
  let id = 0;
  return createAskService({
    db: async () => db,
    publish: createPublisher({ db: async () => db, channel }).publish,
    answerModel,
    gpu,
    now: () => Date.parse('2023-09-10T12:00:00Z') + id,
    newId: () => `q${(id += 1)}`,
  });
}
