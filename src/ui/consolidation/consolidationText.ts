import type {
  ConsolidationProgress,
  ConsolidationState,
  ReviewPair,
  ReviewProposal,
} from '../../store/consolidation/consolidationStore';
import { formatSecondsLeft, secondsLeftAt } from '../../store/engine';
import { formatCount, plural } from '../common/format';

/** "12 possible duplicates, 3 conflicts" (and how many still wait for a decision). */
export function queueHeading(counts: ConsolidationState['counts']): string {
  const heading = `${plural(counts.duplicates, 'possible duplicate')}, ${plural(counts.conflicts, 'conflict')}`;
  return counts.undecided > 0 ? `${heading} (${formatCount(counts.undecided)} undecided)` : heading;
}

export const decisionLabels: Record<ReviewProposal['decision'], string> = {
  MERGE: 'Merge',
  SUPERSEDE: 'Newer replaces older',
  KEEP_BOTH: 'Keep both',
};

/** What the accept button does for a proposal. */
export const acceptLabels: Record<ReviewProposal['decision'], string> = {
  MERGE: 'Accept merge',
  SUPERSEDE: 'Accept: newer replaces older',
  KEEP_BOTH: 'Accept: keep both',
};

/** "similarity 0.93 by meaning (embeddings)" or "… by shared words (no embedding model)". */
export function similarityText(pair: Pick<ReviewPair, 'similarity' | 'method'>): string {
  const how = pair.method === 'embedding' ? 'by meaning (embeddings)' : 'by shared words (lexical)';
  return `similarity ${pair.similarity.toFixed(2)} ${how}`;
}

/** "rule: exact duplicate" → "the exact-duplicate rule"; a model's label stays as it is. */
export function proposedBy(by: string): string {
  return by.startsWith('rule: ') ? `by rule (${by.slice('rule: '.length)})` : `by ${by}`;
}

/**
 * Seconds left at the pace so far, by the rule of the app's other progress lines (secondsLeftAt):
 * unknown until over 1 % of the pairs are done and a second has passed.
 */
export function secondsLeft(progress: ConsolidationProgress, now: number): number | undefined {
  if (progress.total === 0) return undefined;
  const elapsed = (now - progress.startedAt) / 1000;
  return secondsLeftAt(progress.done / progress.total, elapsed) ?? undefined;
}

/** The line under the progress bar: what is happening, how far, and the time left. */
export function progressText(
  phase: ConsolidationState['phase'],
  progress: ConsolidationProgress | null,
  now: number,
): string {
  if (phase === 'detecting') return 'Finding possible duplicates…';
  if (phase === 'waiting-for-gpu') {
    return 'Waiting for the GPU: a run is using it; the model decides when the run is done.';
  }
  if (phase !== 'deciding') return '';
  if (progress === null) return 'Asking the model…';
  const done = `${formatCount(progress.done)} of ${plural(progress.total, 'pair')} decided`;
  const left = formatSecondsLeft(secondsLeft(progress, now));
  return left ? `${done} · ${left}` : done;
}
