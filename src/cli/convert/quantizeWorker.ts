/** A worker thread that only runs the converter's pure quantizer on the blocks it is sent. */
import { parentPort } from 'node:worker_threads';

import { quantizeBf16Block } from '../../core/convert';
import type { Bf16Block } from '../../core/convert';

parentPort?.on('message', (message: { id: number; block: Bf16Block }) => {
  const { qWeight, qScale } = quantizeBf16Block(message.block);
  parentPort?.postMessage({ id: message.id, qWeight, qScale }, [
    qWeight.buffer as ArrayBuffer,
    qScale.buffer as ArrayBuffer,
  ]);
});
