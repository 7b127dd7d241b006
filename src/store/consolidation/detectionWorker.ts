/**
 * The detection worker: finds consolidation's candidate pairs off the page's main thread, so the
 * page stays responsive while 100,000 memories are compared. Vectors come from the page, whose
 * embedder and content-vector cache stay there (`detectionWorkerClient.ts`).
 */
import { createDetectionHandler } from './detectionWorkerHandler';
import type { DetectionWorkerRequest, DetectionWorkerResponse } from './detectionWorkerProtocol';

/** The worker's global scope; the DOM lib types `self` as a window. */
declare const self: {
  postMessage(message: DetectionWorkerResponse, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<DetectionWorkerRequest>) => void) | null;
};

const handle = createDetectionHandler((message, transfer) => self.postMessage(message, transfer));
self.onmessage = (event) => handle(event.data);
