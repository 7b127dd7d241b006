import { open, rename } from 'node:fs/promises';
import path from 'node:path';

import {
  buildMlcChatConfig,
  buildTensorCacheJson,
  CheckpointFileMissingError,
  checkQwen3_4BShape,
  CheckpointRefusedError,
  convertibleCheckpoint,
  convertShardTo,
  inspectCheckpoint,
  planMlcOutput,
  tokenizerFileNames,
} from '../../core/convert';
import type { CheckpointReader, MlcQuantization, QuantizeBlock } from '../../core/convert';
import type { ProgressStream } from '../extract/progressReporter';

import { ConversionProgress } from './convertProgress';
import {
  conversionIdentity,
  fileMd5,
  prepareOutputFolder,
  recordProgress,
  writeAtomically,
} from './outputFolder';

export interface ConversionRequest {
  reader: CheckpointReader;
  /** Names the source in convert-info.json; a resume must name the same one. */
  source: string;
  quantization: MlcQuantization;
  out: string;
  overwrite: boolean;
  /** Apply only the generic Qwen3 checks (tests, experts with their own model library). */
  anyQwen3Shape: boolean;
  contextWindowSize?: number;
  quantizeBlock?: QuantizeBlock;
  concurrency?: number;
  progress: ProgressStream;
  signal?: AbortSignal;
}

export interface ConversionSummary {
  shardsWritten: number;
  shardsKept: number;
  totalBytes: number;
  records: number;
}

/**
 * Converts a checkpoint into an MLC folder: shards (each written under a temporary name, then
 * renamed; kept from an earlier run when their md5 matches), tokenizer files, mlc-chat-config.json
 * and, last, tensor-cache.json, so a folder WebLLM could load is always complete.
 */
export async function runConversion(request: ConversionRequest): Promise<ConversionSummary> {
  const { reader, signal } = request;
  const checkpoint = convertibleCheckpoint(await inspectCheckpoint(reader, signal));
  if (!request.anyQwen3Shape) {
    const refusals = checkQwen3_4BShape(checkpoint.config);
    if (refusals.length > 0) {
      throw new CheckpointRefusedError([
        ...refusals,
        {
          field: 'any-qwen3-shape',
          message: '(--any-qwen3-shape converts it anyway, for a model library of your own.)',
        },
      ]);
    }
  }
  const plan = planMlcOutput(checkpoint.config, request.quantization, {
    loadingOrder: checkpoint.loadingOrder,
    totalParams: checkpoint.totalParams,
  });
  const tokenizerFiles: string[] = [];
  for (const name of tokenizerFileNames) {
    try {
      await reader.size(name);
      tokenizerFiles.push(name);
    } catch (error) {
      if (!(error instanceof CheckpointFileMissingError)) throw error;
    }
  }
  if (!tokenizerFiles.includes('tokenizer.json')) {
    throw new CheckpointRefusedError([
      {
        field: 'tokenizer.json',
        message: 'The checkpoint has no tokenizer.json, which WebLLM needs.',
      },
    ]);
  }
  const chatConfig = buildMlcChatConfig(checkpoint.config, request.quantization, {
    tokenizerFiles,
    contextWindowSize: request.contextWindowSize,
  });

  const identity = await conversionIdentity(request.source, plan);
  const expected = await prepareOutputFolder(request.out, identity, request.overwrite);
  const done = new Map<string, string>();
  for (const shard of plan.shards) {
    const md5 = expected.get(shard.dataPath);
    if (md5 && (await fileMd5(path.join(request.out, shard.dataPath))) === md5)
      done.set(shard.dataPath, md5);
  }
  // From here on the folder is resumable, whatever happens.
  await recordProgress(request.out, identity, done, false);

  const progress = new ConversionProgress(request.progress);
  const started = Date.now();
  const siblings = new Map<string, Uint8Array>();
  const counts = {
    bytesRead: 0,
    bytesTotal: plan.shards
      .filter((shard) => !done.has(shard.dataPath))
      .reduce((sum, shard) => sum + shard.sourceBytes, 0),
    tensorsDone: plan.shards
      .filter((shard) => done.has(shard.dataPath))
      .reduce((sum, shard) => sum + shard.records.length, 0),
    tensorsTotal: plan.recordCount,
    shardsDone: done.size,
    shardsTotal: plan.shards.length,
    elapsedMs: 0,
  };
  const shardsKept = done.size;
  for (const [index, shard] of plan.shards.entries()) {
    if (done.has(shard.dataPath)) continue;
    const file = path.join(request.out, shard.dataPath);
    const handle = await open(`${file}.partial`, 'w');
    const before = { bytesRead: counts.bytesRead, tensorsDone: counts.tensorsDone };
    let result;
    try {
      result = await convertShardTo(
        plan,
        index,
        { reader, tensors: checkpoint.tensors },
        async (chunk) => void (await handle.write(chunk)),
        {
          quantizeBlock: request.quantizeBlock,
          concurrency: request.concurrency,
          siblings,
          signal,
          onProgress: (event) => {
            counts.bytesRead = before.bytesRead + event.bytesRead;
            counts.tensorsDone = before.tensorsDone + event.tensorsDone;
            counts.elapsedMs = Date.now() - started;
            progress.update(counts, false);
          },
        },
      );
    } finally {
      await handle.close();
    }
    await rename(`${file}.partial`, file);
    done.set(shard.dataPath, result.md5);
    await recordProgress(request.out, identity, done, false);
    counts.shardsDone = done.size;
    counts.elapsedMs = Date.now() - started;
    progress.update(counts, true);
  }
  progress.finish();

  for (const name of tokenizerFiles) {
    // Text files of a few MB; copied whole (a folder source copies the file itself).
    const text = await reader.readText(name);
    await writeAtomically(path.join(request.out, name), text);
  }
  await writeAtomically(
    path.join(request.out, 'mlc-chat-config.json'),
    `${JSON.stringify(chatConfig, null, 2)}\n`,
  );
  const md5s = plan.shards.map((shard) => done.get(shard.dataPath) as string);
  await writeAtomically(
    path.join(request.out, 'tensor-cache.json'),
    `${JSON.stringify(buildTensorCacheJson(plan, md5s), null, 4)}\n`,
  );
  await recordProgress(request.out, identity, done, true);
  return {
    shardsWritten: plan.shards.length - shardsKept,
    shardsKept,
    totalBytes: plan.totalBytes,
    records: plan.recordCount,
  };
}
