import { createConsolidateCommand } from '../../../src/cli/commands/consolidate';
import { captureIo } from '../../support/capturedCliIo';
import type { ChatCall, Reply } from '../../support/openaiServer';
import { FakeEmbedder } from '../../support/searchFakeEmbedder';

/** Shared by the `consolidate` command's tests: the model, its answers and a captured run. */
export const MODEL = 'Qwen/Qwen3-4B';

/** How the command labels the model's decisions: the model at its server. */
export const modelLabel = (baseUrl: string) => `${MODEL} at ${baseUrl}`;

export { captureIo };

const answer = (decision: string, mergedContent: string, memoryType: string): Reply => ({
  kind: 'answer',
  text: JSON.stringify({
    decision,
    merged_content: mergedContent,
    merged_dimension: { memory_type: memoryType, time: '', keywords: [], reason: '', purpose: '' },
    reasoning: `${decision}: decided by the test server`,
  }),
});

/** A decision model: the carbonara pair is one episode, Lisbon replaces Berlin. */
export function decisions({ prompt }: ChatCall): Reply {
  if (prompt.includes('Spaghetti Carbonara'))
    return answer(
      'MERGE',
      'The user tried and loved the Spaghetti Carbonara at Bella Vita.',
      'episodic',
    );
  if (prompt.includes('Lisbon')) return answer('SUPERSEDE', '', 'fact');
  return answer('KEEP_BOTH', '', 'fact');
}

/** Runs the command in this process (a stand-in embedder, no waits); never throws. */
export async function consolidate(
  args: string[],
  embedder: FakeEmbedder | null = new FakeEmbedder(),
) {
  const io = captureIo();
  const command = createConsolidateCommand({
    embedder: embedder === null ? undefined : () => embedder,
    sleep: async () => {},
  });
  let error: unknown = null;
  await command.run(args, io).catch((caught: unknown) => (error = caught));
  return { io, error };
}

export const jsonLines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
