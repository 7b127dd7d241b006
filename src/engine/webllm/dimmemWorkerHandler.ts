import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';
import type { WorkerResponse } from '@mlc-ai/web-llm';

import { classifyWebLlmError } from '../errors/classifyWebLlmError';

/**
 * WebLLM's worker handler, except that a failed task posts a classified error instead of
 * `err.toString()`: the class of a WebLLM error is only known inside the worker, so it is read
 * here and sent across as data (see `classifyWebLlmError`).
 */
export class DimmemWorkerHandler extends WebWorkerMLCEngineHandler {
  override async handleTask<T>(uuid: string, task: () => Promise<T>): Promise<void> {
    let response: Extract<WorkerResponse, { kind: 'return' | 'throw' }>;
    try {
      const content = await task();
      response = { kind: 'return', uuid, content: content as typeof response.content };
    } catch (error) {
      response = {
        kind: 'throw',
        uuid,
        content: classifyWebLlmError(error) as unknown as typeof response.content,
      };
    }
    this.postMessage(response);
  }
}
