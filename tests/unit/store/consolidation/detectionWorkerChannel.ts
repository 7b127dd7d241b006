import { createDetectionHandler } from '../../../../src/store/consolidation/detectionWorkerHandler';
import type { DetectionWorkerPort } from '../../../../src/store/consolidation/detectionWorkerClient';
import { DetectionWorkerClient } from '../../../../src/store/consolidation/detectionWorkerClient';
import type {
  DetectionWorkerRequest,
  DetectionWorkerResponse,
} from '../../../../src/store/consolidation/detectionWorkerProtocol';

/** A worker as the tests run it: the real handler behind a channel that clones like postMessage. */
export interface InProcessWorker {
  port: DetectionWorkerPort;
  /** Every message each way, as it arrived (after cloning). */
  toWorker: DetectionWorkerRequest[];
  toPage: DetectionWorkerResponse[];
  /** The worker dies, as a crashed or killed one does: `onerror`, then silence both ways. */
  die(message: string): void;
}

/**
 * The real detection handler in this thread, reached through a channel that does what a worker's
 * postMessage does: each message is structured-cloned (transferred buffers detached on the
 * sender's side) and delivered later, on a new task.
 */
export function inProcessWorker(): InProcessWorker {
  let dead = false;
  const toWorker: DetectionWorkerRequest[] = [];
  const toPage: DetectionWorkerResponse[] = [];
  const port: DetectionWorkerPort = {
    onmessage: null,
    onerror: null,
    postMessage(message, transfer) {
      if (dead) return;
      const copy = structuredClone(message, { transfer });
      setTimeout(() => {
        if (dead) return;
        toWorker.push(copy);
        handle(copy);
      });
    },
    terminate() {
      dead = true;
    },
  };
  const handle = createDetectionHandler((message, transfer = []) => {
    if (dead) return;
    const copy = structuredClone(message, { transfer });
    setTimeout(() => {
      if (dead) return;
      toPage.push(copy);
      port.onmessage?.({ data: copy } as MessageEvent<DetectionWorkerResponse>);
    });
  });
  return {
    port,
    toWorker,
    toPage,
    die(message) {
      port.onerror?.({ message } as ErrorEvent);
      dead = true;
    },
  };
}

/** A client whose every worker start is a fresh `inProcessWorker` (kept in `workers`). */
export function inProcessClient(): { client: DetectionWorkerClient; workers: InProcessWorker[] } {
  const workers: InProcessWorker[] = [];
  const client = new DetectionWorkerClient(() => {
    const worker = inProcessWorker();
    workers.push(worker);
    return worker.port;
  });
  return { client, workers };
}
