import type {
  CandidatePair,
  ConsolidatedMemory,
  ConsolidationMemory,
  Detection,
  EarlierVersion,
  PairDecision,
  PairOutcome,
} from '../../core/consolidate';
import { ConsolidationPass } from '../../core/consolidate';
import type { ModelAnswer } from './modelDecider';

/** The most passes `--passes` allows: each is a detection over every current memory. */
export const MAX_PASSES = 10;

/** One pass: its detection and the pairs it was the first to meet, best first. */
export interface PassRecord {
  /** 1 for the first pass. */
  number: number;
  pass: ConsolidationPass;
  detection: Detection;
  /** Pairs no earlier pass met (a pair met again is neither asked nor listed again). */
  outcomes: PairOutcome[];
}

/** What the passes did, together. */
export interface ConsolidationRun {
  passes: PassRecord[];
  /** Every memory a pass saw: the input's current memories, then those the passes made. */
  memories: Map<string, ConsolidationMemory>;
  /** Every memory that became an earlier version, input memory or one an earlier pass made. */
  earlierVersions: Map<string, EarlierVersion>;
  /** The new memories, in the order they were made. */
  created: ConsolidatedMemory[];
  /** What decided each new memory, by its id. */
  decisionOf: Map<string, PairDecision>;
  /** Why the model's answer for a pair was not used, by pair. */
  failures: Map<CandidatePair, string>;
  /** Whether the last pass made nothing new, so another pass would not either. */
  settled: boolean;
}

export interface RunOptions {
  maxPasses: number;
  /** Detection over the current memories. */
  detect(memories: readonly ConsolidationMemory[]): Promise<Detection>;
  /** The model that decides the other pairs, and its label; null: rule merges only. */
  decider: {
    decide(newer: ConsolidationMemory, older: ConsolidationMemory): Promise<ModelAnswer>;
    label: string;
  } | null;
}

const pairKey = (pair: CandidatePair) => `${pair.older}\u0000${pair.newer}`;

/**
 * Consolidation in passes: each detects pairs among the current memories (the last pass's new
 * memories included, its originals left out), merges rule groups and lets the model decide the
 * pairs no earlier pass met. A chain (A and B merged, then the merged memory and C) resolves in
 * the next pass. Stops after a pass that made no new memory, or after `maxPasses`.
 */
export async function runPasses(
  input: readonly ConsolidationMemory[],
  options: RunOptions,
): Promise<ConsolidationRun> {
  const run: ConsolidationRun = {
    passes: [],
    memories: new Map(input.map((memory) => [memory.id, memory])),
    earlierVersions: new Map(),
    created: [],
    decisionOf: new Map(),
    failures: new Map(),
    settled: false,
  };
  const met = new Set<string>();
  let current = [...input];
  while (run.passes.length < options.maxPasses && !run.settled) {
    const detection = await options.detect(current);
    const pass = new ConsolidationPass(current, detection);
    const fresh = new Set(detection.pairs.filter((pair) => !met.has(pairKey(pair))));
    for (const pair of fresh) met.add(pairKey(pair));
    if (options.decider !== null) {
      for (const { pair, older, newer } of pass.pairsToDecide()) {
        if (!fresh.has(pair)) continue;
        const answer = await options.decider.decide(newer, older);
        if (answer.decision === null) run.failures.set(pair, answer.error);
        else pass.decide(pair, answer.decision, options.decider.label);
      }
    }
    const outcomes = pass.outcomes();
    for (const { decision } of outcomes)
      if (decision?.result) run.decisionOf.set(decision.result, decision);
    run.passes.push({
      number: run.passes.length + 1,
      pass,
      detection,
      // A rule pair is listed whenever it is merged, even if an earlier pass met it undecided.
      outcomes: outcomes.filter(({ pair, decision }) => fresh.has(pair) || decision !== null),
    });
    for (const [id, earlier] of pass.earlierVersions) run.earlierVersions.set(id, earlier);
    for (const memory of pass.created) run.memories.set(memory.id, memory);
    run.created.push(...pass.created);
    current = [
      ...current.filter((memory) => !pass.earlierVersions.has(memory.id)),
      ...pass.created,
    ];
    run.settled = pass.created.length === 0;
  }
  return run;
}
