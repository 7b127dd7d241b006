import type { ReviewPair } from '../../store/consolidation/consolidationStore';
import { decisionLabels, proposedBy, similarityText } from './consolidationText';

/** How alike the two memories are, and what is proposed for them, by whom and why. */
export function ProposalLine({ pair }: { pair: ReviewPair }) {
  const { proposal } = pair;
  return (
    <div className="proposal-line">
      <span className="pill" data-testid="pair-similarity">
        {similarityText(pair)}
      </span>
      {pair.rule !== null && (
        <span className="pill accent">
          {pair.rule === 'exact' ? 'exact duplicate' : 'near-exact duplicate'}
        </span>
      )}
      {proposal !== null ? (
        <p className="proposal" data-testid="pair-proposal">
          <strong>
            Proposed: {decisionLabels[proposal.decision]}, {proposedBy(proposal.by)}.
          </strong>{' '}
          {proposal.reasoning && <span className="muted">{proposal.reasoning}</span>}
        </p>
      ) : (
        <p className="proposal muted" data-testid="pair-proposal">
          {pair.status === 'deciding' && 'The model is deciding…'}
          {pair.status === 'waiting-for-model' && 'Waits for a model to decide.'}
          {pair.status === 'failed' &&
            `The model’s answer was not a decision${pair.error ? `: ${pair.error}` : ''}. Ask again, or decide yourself.`}
        </p>
      )}
    </div>
  );
}
