import { Worker } from 'node:worker_threads';

import type { QuantizeBlock, QuantizedBlock } from '../../core/convert';

const workerUrl = new URL('./quantizeWorker.ts', import.meta.url);

/**
 * The CLI runs from TypeScript under tsx, whose loader worker threads do not inherit: the worker
 * registers it before importing its module.
 */
function startWorker(): Worker {
  const source = `
    const { register } = await import('tsx/esm/api');
    register();
    await import(${JSON.stringify(workerUrl.href)});
  `;
  return new Worker(source, { eval: true, type: 'module' } as ConstructorParameters<
    typeof Worker
  >[1]);
}

/** A `QuantizeBlock` that spreads blocks over worker threads; `close` ends them. */
export function workerQuantizer(count: number): {
  quantizeBlock: QuantizeBlock;
  close: () => Promise<void>;
} {
  const workers = Array.from({ length: count }, () => startWorker());
  const pending = new Map<
    number,
    { resolve: (block: QuantizedBlock) => void; reject: (error: Error) => void }
  >();
  for (const worker of workers) {
    worker.on('message', (message: { id: number } & QuantizedBlock) => {
      pending.get(message.id)?.resolve({ qWeight: message.qWeight, qScale: message.qScale });
      pending.delete(message.id);
    });
    worker.on('error', (error) => {
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
    });
  }
  let next = 0;
  return {
    quantizeBlock: (block) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        const bf16 = block.bf16.slice(); // its own buffer, so it can be transferred
        (workers[id % workers.length] as Worker).postMessage({ id, block: { ...block, bf16 } }, [
          bf16.buffer,
        ]);
      }),
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
