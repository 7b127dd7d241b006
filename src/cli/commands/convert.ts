import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';

import { mlcQuantizations } from '../../core/convert';
import type { MlcQuantization } from '../../core/convert';
import { UsageError, type CliCommand } from '../command';
import { folderCheckpointReader } from '../convert/folderReader';
import {
  huggingFaceCheckpointReader,
  isHuggingFaceRepoId,
  resolveHuggingFaceRevision,
} from '../convert/huggingFaceReader';
import { runConversion } from '../convert/runConversion';
import { workerQuantizer } from '../convert/workerQuantizer';
import { integerOption, parseCommandArgs } from '../options';

const isDirectory = (target: string) =>
  stat(target).then(
    (info) => info.isDirectory(),
    () => false,
  );

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: 'build the MLC model (WebLLM weights) from a Qwen3-4B / DimMem-4B checkpoint',
  usage: [
    'Usage: convert <checkpoint folder | Hugging Face id> --quant q4f16_1|q4f32_1 --out <folder>',
    '               [--revision REV] [--context N] [--workers N] [--overwrite] [--any-qwen3-shape]',
    '',
    'Converts a bf16 safetensors checkpoint (config.json, model*.safetensors, tokenizer.json) into',
    'an MLC folder that WebLLM’s prebuilt Qwen3-4B library loads: params_shard_*.bin,',
    'tensor-cache.json, mlc-chat-config.json, the tokenizer files and convert-info.json.',
    'Rerun the same command to resume: shards already written with the right md5 are kept.',
    '',
    '  --quant Q           q4f16_1 (GPUs with shader-f16) or q4f32_1 (all others)',
    '  --out DIR           the MLC folder to write; must be empty, absent or an earlier run of the',
    '                      same conversion (resumed)',
    '  --overwrite         replace a non-empty --out that holds something else',
    '  --revision REV      Hugging Face ids only: branch, tag or commit (default main), pinned to',
    '                      its commit hash when the conversion starts',
    '  --context N         context_window_size written to mlc-chat-config.json (default 8192)',
    '  --workers N         quantizing threads (default: the number of cores)',
    '  --any-qwen3-shape   convert any Qwen3 size (the prebuilt library runs only Qwen3-4B’s)',
    '',
    'A Hugging Face id (owner/name) is read with range requests from huggingface.co (HF_ENDPOINT',
    'and HF_TOKEN are honoured). Only bf16 checkpoints with a tied head are converted.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('convert', args, {
      quant: { type: 'string' },
      out: { type: 'string' },
      overwrite: { type: 'boolean' },
      revision: { type: 'string' },
      context: { type: 'string' },
      workers: { type: 'string' },
      'any-qwen3-shape': { type: 'boolean' },
    });
    if (positionals.length !== 1) {
      throw new UsageError(
        `convert: expected one checkpoint folder or Hugging Face id, got ${positionals.length}.`,
      );
    }
    const input = positionals[0] as string;
    const quantization = mlcQuantizations.find((q) => q === values.quant);
    if (!quantization) {
      throw new UsageError(
        `convert: --quant must be ${mlcQuantizations.join(' or ')}${values.quant ? `, got "${values.quant}"` : ''}.`,
      );
    }
    if (!values.out) throw new UsageError('convert: missing --out <folder>.');
    const out = path.resolve(values.out);
    const contextWindowSize = integerOption('context', values.context, 1024);
    const workers = integerOption('workers', values.workers, 1) ?? availableParallelism();

    let reader;
    let source: string;
    if (await isDirectory(input)) {
      if (values.revision)
        throw new UsageError('convert: --revision applies to Hugging Face ids, not to a folder.');
      const folder = path.resolve(input);
      if (out === folder || out.startsWith(folder + path.sep)) {
        throw new UsageError('convert: --out must not be the checkpoint folder or inside it.');
      }
      reader = folderCheckpointReader(folder);
      source = folder;
    } else if (isHuggingFaceRepoId(input)) {
      const commit = await resolveHuggingFaceRevision(input, values.revision ?? 'main');
      io.note(`${input}: revision ${values.revision ?? 'main'} is commit ${commit}.`);
      reader = huggingFaceCheckpointReader(input, commit);
      source = `hf:${input}@${commit}`;
    } else {
      throw new UsageError(
        `convert: "${input}" is neither a folder nor a Hugging Face id (owner/name).`,
      );
    }

    const controller = new AbortController();
    const stop = () =>
      controller.abort(new Error('Interrupted; rerun the same command to resume.'));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const pool = workers > 1 ? workerQuantizer(workers) : undefined;
    try {
      const summary = await runConversion({
        reader,
        source,
        quantization: quantization as MlcQuantization,
        out,
        overwrite: values.overwrite === true,
        anyQwen3Shape: values['any-qwen3-shape'] === true,
        contextWindowSize,
        quantizeBlock: pool?.quantizeBlock,
        concurrency: pool ? workers * 2 : 1,
        progress: process.stderr,
        signal: controller.signal,
      });
      io.note(
        `${out}: ${summary.records} tensors in ${summary.shardsWritten + summary.shardsKept} shards, ${(summary.totalBytes / 1e9).toFixed(2)} GB` +
          (summary.shardsKept > 0
            ? ` (${summary.shardsKept} shards kept from an earlier run)`
            : '') +
          '.',
      );
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await pool?.close();
    }
  },
};
