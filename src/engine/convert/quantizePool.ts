import type { Bf16Block, QuantizeBlock, QuantizedBlock } from '../../core/convert/types';
import { quantizeResponseSchema } from './quantizeMessages';

/** The part of a `Worker` the pool uses; a fake one runs the handler in-thread in Node tests. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

export interface QuantizePool {
  /** Hands the block to the least busy worker; its bf16 values are copied, the caller's kept. */
  quantizeBlock: QuantizeBlock;
  size: number;
  close(): void;
}

interface Pending {
  resolve: (block: QuantizedBlock) => void;
  reject: (error: Error) => void;
  worker: number;
}

/** The workers to start: every core but one for the page, at least one, at most eight. */
export function quantizeWorkerCount(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(8, (hardwareConcurrency ?? 2) - 1));
}

export function defaultQuantizeWorker(): WorkerLike {
  return new Worker(new URL('./quantizeWorker.ts', import.meta.url), {
    type: 'module',
    name: 'dimmem-quantize',
  });
}

/** Quantizes blocks in `size` workers at once (the core's pure quantizer in each). */
export function createQuantizePool(
  size: number,
  createWorker: () => WorkerLike = defaultQuantizeWorker,
): QuantizePool {
  const workers: WorkerLike[] = [];
  const busy: number[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;

  function failAll(error: Error) {
    for (const [id, job] of pending) {
      pending.delete(id);
      job.reject(error);
    }
  }

  for (let index = 0; index < size; index += 1) {
    const worker = createWorker();
    worker.addEventListener('message', (event) => {
      const parsed = quantizeResponseSchema.safeParse(event.data);
      if (!parsed.success) return;
      const job = pending.get(parsed.data.id);
      if (!job) return;
      pending.delete(parsed.data.id);
      busy[job.worker] = (busy[job.worker] ?? 1) - 1;
      if (parsed.data.ok) {
        job.resolve({ qWeight: parsed.data.qWeight, qScale: parsed.data.qScale });
      } else {
        job.reject(new Error(`Quantizing failed: ${parsed.data.message}`));
      }
    });
    worker.addEventListener('error', (event) => {
      failAll(new Error(`A quantize worker stopped: ${event.message || 'unknown error'}`));
    });
    workers.push(worker);
    busy.push(0);
  }

  function quantizeBlock(block: Bf16Block): Promise<QuantizedBlock> {
    if (closed) return Promise.reject(new Error('The quantize workers were closed.'));
    let chosen = 0;
    for (let index = 1; index < workers.length; index += 1) {
      if ((busy[index] ?? 0) < (busy[chosen] ?? 0)) chosen = index;
    }
    const id = nextId++;
    // A copy: the block may be a view into a larger read buffer the converter still uses.
    const bf16 = block.bf16.slice();
    return new Promise<QuantizedBlock>((resolve, reject) => {
      pending.set(id, { resolve, reject, worker: chosen });
      busy[chosen] = (busy[chosen] ?? 0) + 1;
      workers[chosen]?.postMessage(
        { id, quantization: block.quantization, bf16, rows: block.rows, cols: block.cols },
        [bf16.buffer],
      );
    });
  }

  return {
    quantizeBlock,
    size,
    close() {
      closed = true;
      for (const worker of workers) worker.terminate();
      failAll(new Error('The quantize workers were closed.'));
    },
  };
}
