import type { LocalTime } from '../time/localTime';
import type { ConsolidatedMemory } from './consolidatedMemory';
import { mergeByDecision, mergeDuplicates } from './consolidatedMemory';
import type { Detection } from './detectPairs';
import type { ConsolidationDecision } from './decisionSchema';
import type {
  CandidatePair,
  ConsolidationDecisionKind,
  ConsolidationMemory,
  RuleKind,
} from './types';

/** What was decided for a pair, by whom, and what it made. */
export interface PairDecision {
  decision: ConsolidationDecisionKind;
  /** `rule: exact duplicate`, `rule: near-exact duplicate`, or the model that decided. */
  by: string;
  reasoning: string;
  /** The model's merged text ("" for KEEP_BOTH), or the rule merge's text. */
  mergedContent: string;
  /** The new memory's id; null for KEEP_BOTH. */
  result: string | null;
}

/** An original kept as an earlier version of the memory that replaced it. */
export interface EarlierVersion {
  supersededBy: string;
  /** A superseded fact: until when it held (the newer memory's time, else its message time). */
  validUntil?: LocalTime;
}

export interface PairOutcome {
  pair: CandidatePair;
  /** Null: not decided in this pass (no model, a memory of it already merged, or locked). */
  decision: PairDecision | null;
}

const ruleLabels: Record<RuleKind, string> = {
  exact: 'rule: exact duplicate',
  'near-exact': 'rule: near-exact duplicate',
};

/**
 * One consolidation pass over current memories and their detected pairs. Rule groups are merged
 * first; then each other pair, best first, may be decided (by a model) unless one of its memories
 * was already merged away in this pass — that pair waits for the next pass, as in the reference —
 * or is locked. Nothing is deleted: merges and supersedes make new memories, and the originals
 * become earlier versions. Pure: the caller asks the model.
 */
export class ConsolidationPass {
  readonly created: ConsolidatedMemory[] = [];
  readonly earlierVersions = new Map<string, EarlierVersion>();
  private readonly byId: Map<string, ConsolidationMemory>;
  private readonly decisions = new Map<CandidatePair, PairDecision>();

  constructor(
    memories: readonly ConsolidationMemory[],
    private readonly detection: Detection,
  ) {
    this.byId = new Map(memories.map((memory) => [memory.id, memory]));
    for (const group of detection.groups) {
      const merged = mergeDuplicates(group.members.map((id) => this.byId.get(id)!));
      this.created.push(merged);
      for (const id of group.members) this.earlierVersions.set(id, { supersededBy: merged.id });
    }
    for (const pair of detection.pairs) {
      if (pair.rule === null) continue;
      const result = this.earlierVersions.get(pair.newer)!.supersededBy;
      this.decisions.set(pair, {
        decision: 'MERGE',
        by: ruleLabels[pair.rule],
        reasoning:
          pair.rule === 'exact'
            ? 'same person, type and text'
            : 'same person, type and keywords; the texts differ only in case, punctuation or spacing',
        mergedContent: this.byId.get(pair.newer)!.content,
        result,
      });
    }
  }

  /** Whether a pair may still be decided now: both memories current and neither locked. */
  isOpen(pair: CandidatePair): boolean {
    if (this.decisions.has(pair) || pair.rule !== null) return false;
    const older = this.byId.get(pair.older)!;
    const newer = this.byId.get(pair.newer)!;
    if (older.locked || newer.locked) return false;
    return !this.earlierVersions.has(older.id) && !this.earlierVersions.has(newer.id);
  }

  /** The pairs a model should decide, best first; each is checked when it comes up. */
  *pairsToDecide(): Generator<{
    pair: CandidatePair;
    older: ConsolidationMemory;
    newer: ConsolidationMemory;
  }> {
    for (const pair of this.detection.pairs) {
      if (!this.isOpen(pair)) continue;
      yield { pair, older: this.byId.get(pair.older)!, newer: this.byId.get(pair.newer)! };
    }
  }

  /** Applies a model's decision to an open pair. */
  decide(pair: CandidatePair, decision: ConsolidationDecision, by: string): PairDecision {
    if (!this.isOpen(pair)) throw new Error(`pair ${pair.older} / ${pair.newer} is not open`);
    const older = this.byId.get(pair.older)!;
    const newer = this.byId.get(pair.newer)!;
    let result: string | null = null;
    if (decision.decision !== 'KEEP_BOTH') {
      const kind = decision.decision;
      const merged = mergeByDecision(older, newer, { ...decision, decision: kind });
      this.created.push(merged);
      result = merged.id;
      this.earlierVersions.set(newer.id, { supersededBy: merged.id });
      this.earlierVersions.set(
        older.id,
        kind === 'SUPERSEDE'
          ? { supersededBy: merged.id, validUntil: newer.timeStart ?? newer.messageTimestamp }
          : { supersededBy: merged.id },
      );
    }
    const applied: PairDecision = {
      decision: decision.decision,
      by,
      reasoning: decision.reasoning,
      mergedContent: decision.merged_content,
      result,
    };
    this.decisions.set(pair, applied);
    return applied;
  }

  /** Every detected pair, best first, with its decision or null. */
  outcomes(): PairOutcome[] {
    return this.detection.pairs.map((pair) => ({
      pair,
      decision: this.decisions.get(pair) ?? null,
    }));
  }
}
