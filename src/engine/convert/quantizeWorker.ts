/// <reference lib="webworker" />
import { handleQuantizeMessage } from './quantizeWorkerHandler';

// Routes messages only; the work is in quantizeWorkerHandler.ts (style.md: workers route).
self.onmessage = (event: MessageEvent<unknown>) => {
  const { response, transfer } = handleQuantizeMessage(event.data);
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(response, transfer);
};
