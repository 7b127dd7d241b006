import { rename, writeFile } from 'node:fs/promises';

import type { CandidatePair, Detection } from '../../core/consolidate';
import { ConsolidationPass, detectPairs } from '../../core/consolidate';
import { errorText } from '../../core/errorText';
import type { Embedder } from '../../core/search';
import { MiniLmEmbedder } from '../../engine/embeddings';
import type { CliCommand, CliIo } from '../command';
import { CliError, exitCodes } from '../command';
import { consolidatedJsonl } from '../consolidate/consolidatedLines';
import { consolidateUsage, parseConsolidateArgs } from '../consolidate/consolidateOptions';
import type { MemoryLinesFile } from '../consolidate/memoryLinesFile';
import { readMemoryLinesFile } from '../consolidate/memoryLinesFile';
import { connectDecider } from '../consolidate/modelDecider';
import { pairsJson, pairsText } from '../consolidate/pairReport';

export interface ConsolidateDependencies {
  /** all-MiniLM-L6-v2 by default; tests inject a fake. */
  embedder?: () => Embedder;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

/** Detection with the embedder, or lexical when it is off or cannot load (said in a note). */
async function detect(
  file: MemoryLinesFile,
  embedder: Embedder | null,
  io: CliIo,
): Promise<{ detection: Detection; embeddingsOff: string | null }> {
  if (embedder === null)
    return { detection: await detectPairs(file.current), embeddingsOff: '--no-embeddings' };
  try {
    return { detection: await detectPairs(file.current, { embedder }), embeddingsOff: null };
  } catch (error) {
    const reason = errorText(error);
    io.note(`similarity is lexical: ${reason}`);
    return { detection: await detectPairs(file.current), embeddingsOff: reason };
  }
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
        ? (dependencies.embedder ?? (() => new MiniLmEmbedder()))()
        : null;
      const { detection, embeddingsOff } = await detect(file, embedder, io);
      const pass = new ConsolidationPass(file.current, detection);

      const failures = new Map<CandidatePair, string>();
      if (options.server !== null) {
        const { retries, retryDelayMs, ...server } = options.server;
        const decide = await connectDecider(
          {
            ...server,
            retry: { retries, baseDelayMs: retryDelayMs, maxDelayMs: 60_000 },
            fetch: dependencies.fetch,
            sleep: dependencies.sleep,
          },
          io,
        );
        for (const { pair, older, newer } of pass.pairsToDecide()) {
          const answer = await decide(newer, older);
          if (answer.decision === null) failures.set(pair, answer.error);
          else pass.decide(pair, answer.decision, server.model);
        }
      }

      if (options.out !== null) {
        // Written beside and renamed into place: an interrupted write leaves no half file.
        await writeFile(`${options.out}.tmp`, consolidatedJsonl(file, pass));
        await rename(`${options.out}.tmp`, options.out);
        const earlier = file.lines.length - file.current.length + pass.earlierVersions.size;
        io.note(
          `wrote ${options.out}: ${file.lines.length + pass.created.length} memories, ` +
            `${file.lines.length + pass.created.length - earlier} current, ${earlier} earlier versions`,
        );
      }
      const memories = new Map(file.current.map((memory) => [memory.id, memory]));
      io.out(
        options.json
          ? `${JSON.stringify(pairsJson(pass.outcomes()), null, 2)}\n`
          : pairsText(options.file, {
              memories,
              pass,
              detection,
              failures,
              model: options.server?.model ?? null,
              embeddingsOff,
            }),
      );
      if (failures.size > 0) {
        throw new CliError(
          `${failures.size} pair(s) got no usable decision from ${options.server!.model}; run again to ask again.`,
          exitCodes.partial,
        );
      }
    },
  };
}

export const consolidateCommand = createConsolidateCommand();
