import { rename, writeFile } from 'node:fs/promises';

import type { ConsolidationMemory, Detection } from '../../core/consolidate';
import { detectPairs } from '../../core/consolidate';
import { errorText } from '../../core/errorText';
import type { Embedder } from '../../core/search';
import { MiniLmEmbedder } from '../../engine/embeddings';
import type { CliCommand, CliIo } from '../command';
import { CliError, exitCodes } from '../command';
import { consolidatedJsonl } from '../consolidate/consolidatedLines';
import { consolidateUsage, parseConsolidateArgs } from '../consolidate/consolidateOptions';
import type { RunOptions } from '../consolidate/consolidationRun';
import { runPasses } from '../consolidate/consolidationRun';
import type { ConsolidateOptions } from '../consolidate/consolidateOptions';
import { readMemoryLinesFile } from '../consolidate/memoryLinesFile';
import { connectDecider } from '../consolidate/modelDecider';
import { pairsJson, pairsText, passesNote } from '../consolidate/pairReport';
import { rememberingEmbedder } from '../consolidate/rememberingEmbedder';

export interface ConsolidateDependencies {
  /** all-MiniLM-L6-v2 by default; tests inject a fake. */
  embedder?: () => Embedder;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

/**
 * Detection with the embedder, or lexical when it is off or cannot load (said once, in a note;
 * the passes after it are lexical too). `off()` says why similarity is lexical, or null.
 */
function detector(embedder: Embedder | null, io: CliIo) {
  let embeddingsOff: string | null = embedder === null ? '--no-embeddings' : null;
  const detect = async (memories: readonly ConsolidationMemory[]): Promise<Detection> => {
    if (embedder === null || embeddingsOff !== null) return detectPairs(memories);
    try {
      return await detectPairs(memories, { embedder });
    } catch (error) {
      embeddingsOff = errorText(error);
      io.note(`similarity is lexical: ${embeddingsOff}`);
      return detectPairs(memories);
    }
  };
  return { detect, off: () => embeddingsOff };
}

/** The model that decides, labelled as it is named everywhere: `Qwen/Qwen3-4B at http://…/v1`. */
async function decider(
  server: ConsolidateOptions['server'],
  dependencies: ConsolidateDependencies,
  io: CliIo,
): Promise<RunOptions['decider']> {
  if (server === null) return null;
  const { retries, retryDelayMs, ...endpoint } = server;
  const decide = await connectDecider(
    {
      ...endpoint,
      retry: { retries, baseDelayMs: retryDelayMs, maxDelayMs: 60_000 },
      fetch: dependencies.fetch,
      sleep: dependencies.sleep,
    },
    io,
  );
  return { decide, label: `${server.model} at ${server.baseUrl}` };
}

export function createConsolidateCommand(dependencies: ConsolidateDependencies = {}): CliCommand {
  return {
    name: 'consolidate',
    summary: 'merge duplicate and supersede conflicting memories of a memories file, keeping all',
    usage: consolidateUsage,
    async run(args: string[], io: CliIo) {
      const options = await parseConsolidateArgs(args, dependencies.env);
      const file = await readMemoryLinesFile(options.file);
      for (const line of file.skipped.slice(0, 5)) io.note(`${options.file}: skipped ${line}`);
      const embedder = options.embeddings
        ? rememberingEmbedder((dependencies.embedder ?? (() => new MiniLmEmbedder()))())
        : null;
      const { detect, off } = detector(embedder, io);
      const run = await runPasses(file.current, {
        maxPasses: options.passes,
        detect,
        decider: await decider(options.server, dependencies, io),
      });
      const showPass = options.passes > 1;
      if (showPass) io.note(passesNote(run, options.passes));

      if (options.out !== null) {
        // Written beside and renamed into place: an interrupted write leaves no half file.
        await writeFile(`${options.out}.tmp`, consolidatedJsonl(file, run));
        await rename(`${options.out}.tmp`, options.out);
        const total = file.lines.length + run.created.length;
        const earlier = file.lines.length - file.current.length + run.earlierVersions.size;
        io.note(
          `wrote ${options.out}: ${total} memories, ${total - earlier} current, ${earlier} earlier versions`,
        );
      }
      io.out(
        options.json
          ? `${JSON.stringify(pairsJson(run.passes, showPass), null, 2)}\n`
          : pairsText(options.file, {
              run,
              inputMemories: file.current.length,
              showPass,
              model: options.server?.model ?? null,
              embeddingsOff: off(),
            }),
      );
      if (run.failures.size > 0) {
        throw new CliError(
          `${run.failures.size} pair(s) got no usable decision from ${options.server!.model}; run again to ask again.`,
          exitCodes.partial,
        );
      }
    },
  };
}

export const consolidateCommand = createConsolidateCommand();
