/// <reference lib="webworker" />
// The model's worker only routes messages: all logic lives in WebLLM and in the engine client.
import { DimmemWorkerHandler } from './dimmemWorkerHandler';

const handler = new DimmemWorkerHandler();
self.onmessage = (event: MessageEvent) => handler.onmessage(event);
