import type {
  ConsolidationMemory,
  ConsolidationPass,
  Detection,
  PairDecision,
  PairOutcome,
  SimilarityMethod,
} from '../../core/consolidate';
import { toPythonIsoformat } from '../../core/time/localTime';

/** One pair of `--json`: `a` the older memory, `b` the newer, by their ids in the JSONL. */
export interface PairJson {
  a: string;
  b: string;
  similarity: number;
  method: SimilarityMethod;
  decision: PairDecision | null;
}

export const pairsJson = (outcomes: readonly PairOutcome[]): { pairs: PairJson[] } => ({
  pairs: outcomes.map(({ pair, decision }) => ({
    a: pair.older,
    b: pair.newer,
    similarity: pair.similarity,
    method: pair.method,
    decision,
  })),
});

export interface ReportContext {
  memories: ReadonlyMap<string, ConsolidationMemory>;
  pass: ConsolidationPass;
  detection: Detection;
  /** Why the model's answer for a pair was not used, by pair. */
  failures: ReadonlyMap<PairOutcome['pair'], string>;
  model: string | null;
  /** Why similarity is lexical (`--no-embeddings`, the model could not load …), or null. */
  embeddingsOff: string | null;
}

/** Why a pair has no decision, in words. */
function undecided(outcome: PairOutcome, context: ReportContext): string {
  const { pair } = outcome;
  const failure = context.failures.get(pair);
  if (failure !== undefined) return `no decision: ${context.model}'s answer not used (${failure})`;
  const older = context.memories.get(pair.older)!;
  const newer = context.memories.get(pair.newer)!;
  if (older.locked || newer.locked) return 'kept: an edited memory is never changed automatically';
  const merged = [pair.older, pair.newer].find((id) => context.pass.earlierVersions.has(id));
  if (merged !== undefined) return `waits for the next pass (${merged} was merged in this one)`;
  return 'no decision: no model given (--base-url, --model)';
}

/** The pairs as text: a summary line, then each pair with both memories. */
export function pairsText(file: string, context: ReportContext): string {
  const { detection } = context;
  const outcomes = context.pass.outcomes();
  const how =
    detection.method === 'embedding'
      ? `embedding cosine ≥ ${detection.threshold}`
      : `lexical similarity ≥ ${detection.threshold}${context.embeddingsOff ? `; embeddings off: ${context.embeddingsOff}` : ''}`;
  const lines = [
    `${file}: ${context.memories.size} current memories, ${outcomes.length} candidate pairs (${how})`,
  ];
  for (const outcome of outcomes) {
    const { pair, decision } = outcome;
    const verdict =
      decision === null
        ? undecided(outcome, context)
        : `${decision.decision} by ${decision.by}${decision.result ? ` → ${decision.result}` : ''}`;
    lines.push(
      '',
      `${pair.older} → ${pair.newer}  similarity ${pair.similarity.toFixed(2)}: ${verdict}`,
    );
    for (const [label, id] of [
      ['older', pair.older],
      ['newer', pair.newer],
    ] as const) {
      const memory = context.memories.get(id)!;
      lines.push(`  ${label} ${toPythonIsoformat(memory.messageTimestamp)}  ${memory.content}`);
    }
    if (decision !== null && decision.decision !== 'KEEP_BOTH' && !decision.by.startsWith('rule'))
      lines.push(`  merged ${decision.mergedContent || '(the newer text)'}`);
  }
  return `${lines.join('\n')}\n`;
}
