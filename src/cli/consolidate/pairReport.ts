import type { PairDecision, PairOutcome, SimilarityMethod } from '../../core/consolidate';
import { toPythonIsoformat } from '../../core/time/localTime';
import type { ConsolidationRun, PassRecord } from './consolidationRun';
import { MAX_PASSES } from './consolidationRun';

/** One pair of `--json`: `a` the older memory, `b` the newer, by their ids in the JSONL. */
export interface PairJson {
  a: string;
  b: string;
  similarity: number;
  method: SimilarityMethod;
  /** With `--passes` above 1: the pass that met the pair (and decided it, if it was decided). */
  pass?: number;
  decision: PairDecision | null;
}

/** The pairs of every pass, pass by pass, each best first; `pass` only when `showPass`. */
export const pairsJson = (
  passes: readonly PassRecord[],
  showPass: boolean,
): { pairs: PairJson[] } => ({
  pairs: passes.flatMap(({ number, outcomes }) =>
    outcomes.map(({ pair, decision }) => ({
      a: pair.older,
      b: pair.newer,
      similarity: pair.similarity,
      method: pair.method,
      ...(showPass ? { pass: number } : {}),
      decision,
    })),
  ),
});

export interface ReportContext {
  run: ConsolidationRun;
  /** How many current memories the input held. */
  inputMemories: number;
  /** `--passes` above 1: each pair says which pass met it. */
  showPass: boolean;
  model: string | null;
  /** Why similarity is lexical (`--no-embeddings`, the model could not load …), or null. */
  embeddingsOff: string | null;
}

/** Why a pair has no decision, in words. */
function undecided(outcome: PairOutcome, record: PassRecord, context: ReportContext): string {
  const { pair } = outcome;
  const failure = context.run.failures.get(pair);
  if (failure !== undefined) return `no decision: ${context.model}'s answer not used (${failure})`;
  const older = context.run.memories.get(pair.older)!;
  const newer = context.run.memories.get(pair.newer)!;
  if (older.locked || newer.locked) return 'kept: an edited memory is never changed automatically';
  const merged = [pair.older, pair.newer].find((id) => record.pass.earlierVersions.has(id));
  if (merged !== undefined) return `waits for the next pass (${merged} was merged in this one)`;
  return 'no decision: no model given (--base-url, --model)';
}

/** The pairs as text: a summary line, then each pair with both memories. */
export function pairsText(file: string, context: ReportContext): string {
  const { run } = context;
  const { detection } = run.passes[0]!;
  const count = run.passes.reduce((sum, record) => sum + record.outcomes.length, 0);
  const how =
    detection.method === 'embedding'
      ? `embedding cosine ≥ ${detection.threshold}`
      : `lexical similarity ≥ ${detection.threshold}${context.embeddingsOff ? `; embeddings off: ${context.embeddingsOff}` : ''}`;
  const passes = context.showPass
    ? ` in ${run.passes.length} pass${run.passes.length === 1 ? '' : 'es'}`
    : '';
  const lines = [
    `${file}: ${context.inputMemories} current memories, ${count} candidate pairs${passes} (${how})`,
  ];
  for (const record of run.passes) {
    for (const outcome of record.outcomes) {
      const { pair, decision } = outcome;
      const verdict =
        decision === null
          ? undecided(outcome, record, context)
          : `${decision.decision} by ${decision.by}${decision.result ? ` → ${decision.result}` : ''}`;
      const where = context.showPass ? `, pass ${record.number}` : '';
      lines.push(
        '',
        `${pair.older} → ${pair.newer}  similarity ${pair.similarity.toFixed(2)}${where}: ${verdict}`,
      );
      for (const [label, id] of [
        ['older', pair.older],
        ['newer', pair.newer],
      ] as const) {
        const memory = run.memories.get(id)!;
        lines.push(`  ${label} ${toPythonIsoformat(memory.messageTimestamp)}  ${memory.content}`);
      }
      if (decision !== null && decision.decision !== 'KEEP_BOTH' && !decision.by.startsWith('rule'))
        lines.push(`  merged ${decision.mergedContent || '(the newer text)'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** stderr's word on the passes (with `--passes` above 1): how many ran and why they stopped. */
export function passesNote(run: ConsolidationRun, maxPasses: number): string {
  const ran = run.passes.length;
  const counts = run.passes.map((record) => record.outcomes.length).join(', ');
  const said = `${ran} pass${ran === 1 ? '' : 'es'} ran (new pairs per pass: ${counts})`;
  if (run.settled) return `${said}; the last changed nothing`;
  const more = maxPasses < MAX_PASSES ? ' (or a higher --passes)' : '';
  return `${said}; the last still made new memories: run again on the output${more} to go on`;
}
