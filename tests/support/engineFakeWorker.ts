import type {
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  InitProgressReport,
} from '@mlc-ai/web-llm';

import { DimmemWorkerHandler } from '../../src/engine/webllm/dimmemWorkerHandler';

/**
 * What sits behind WebLLM's worker handler in place of the GPU engine: it records what it is asked
 * and answers like `MLCEngine` does.
 */
export interface FakeBackend {
  appConfigs: unknown[];
  reloads: { modelId: string[]; chatOpts: unknown }[];
  requests: ChatCompletionRequestStreaming[];
  interrupts: number;
  reloadError: unknown;
  progress: InitProgressReport[];
  chunks: ChatCompletionChunk[];
}

/**
 * A Worker whose other end runs our real worker handler (WebLLM's handler with our error
 * classification) in the same thread. Messages are structured-cloned both ways, as a real
 * `postMessage` does, so only data that survives the boundary gets across.
 */
export function createFakeModelWorker(backend: FakeBackend) {
  const posted: { kind: string; content: unknown }[] = [];
  let toClient: ((message: unknown) => void) | null = null;
  const handler = new DimmemWorkerHandler();
  let progressCallback: ((report: InitProgressReport) => void) | undefined;
  handler.postMessage = (message: unknown) => {
    const copy = structuredClone(message);
    queueMicrotask(() => toClient?.(copy));
  };
  // The handler forwards progress through the engine's callback; keep the one it registered.
  handler.engine = {
    setInitProgressCallback: (cb: (report: InitProgressReport) => void) => {
      progressCallback = cb;
    },
    setAppConfig: (appConfig: unknown) => {
      backend.appConfigs.push(appConfig);
    },
    reload: async (modelId: string[], chatOpts: unknown) => {
      backend.reloads.push({ modelId, chatOpts });
      for (const report of backend.progress) progressCallback?.(report);
      if (backend.reloadError) throw backend.reloadError;
    },
    chatCompletion: async (request: ChatCompletionRequestStreaming) => {
      backend.requests.push(request);
      return (async function* () {
        for (const chunk of backend.chunks) yield chunk;
      })();
    },
    interruptGenerate: () => {
      backend.interrupts += 1;
    },
    unload: async () => {},
  } as unknown as DimmemWorkerHandler['engine'];
  // Re-register the progress forwarder WebLLM's handler installs in its constructor.
  (
    handler.engine as unknown as { setInitProgressCallback: (cb: unknown) => void }
  ).setInitProgressCallback((report: InitProgressReport) =>
    handler.postMessage({ kind: 'initProgressCallback', uuid: '', content: report }),
  );
  let terminated = false;
  const worker = {
    set onmessage(listener: (message: unknown) => void) {
      toClient = listener;
    },
    postMessage(message: unknown) {
      const copy = structuredClone(message) as { kind: string; content: unknown };
      posted.push(copy);
      queueMicrotask(() => handler.onmessage(copy));
    },
    terminate() {
      terminated = true;
    },
    addEventListener() {},
    removeEventListener() {},
  };
  return { worker: worker as unknown as Worker, posted, isTerminated: () => terminated };
}

export function emptyBackend(): FakeBackend {
  return {
    appConfigs: [],
    reloads: [],
    requests: [],
    interrupts: 0,
    reloadError: null,
    progress: [],
    chunks: [],
  };
}
