import type { Ref } from 'react';
import { useId, useState } from 'react';

import { errorText } from '../../core/errorText';
import { appServices } from '../../store/boot/appServices';
import type { ReviewPair } from '../../store/consolidation/consolidationStore';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import { FieldError } from '../common/FieldError';
import { PairMemory } from './PairMemory';
import { ProposalLine } from './ProposalLine';
import { acceptLabels } from './consolidationText';

interface ReviewPairCardProps {
  pair: ReviewPair;
  /** The card's heading: the queue moves focus here when the pair before it is done. */
  headingRef?: Ref<HTMLHeadingElement>;
  /** Called before the service acts on this pair, so the queue knows where focus goes next. */
  onAct: (pairId: string) => void;
}

/**
 * Two memories that may be one, side by side, with what is proposed for them and the buttons to
 * decide: accept (the proposal, or the text as edited), edit, keep both.
 */
export function ReviewPairCard({ pair, headingRef, onAct }: ReviewPairCardProps) {
  const older = useMemoriesStore((state) => state.byId.get(pair.olderId));
  const newer = useMemoriesStore((state) => state.byId.get(pair.newerId));
  const proposal = pair.proposal;
  const headingId = useId();
  const textId = useId();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const changes = proposal !== null && proposal.decision !== 'KEEP_BOTH';

  const act = (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    onAct(pair.id);
    // Done: the pair leaves the queue and this card with it. Refused: say why, stay.
    work().catch((caught: unknown) => {
      setError(errorText(caught));
      setBusy(false);
    });
  };
  const service = () => appServices().consolidation;
  const startEditing = () => {
    setText(changes ? proposal.mergedContent : (newer?.content ?? ''));
    setEditing(true);
  };
  const acceptProposal = () =>
    act(() =>
      proposal?.decision === 'KEEP_BOTH' ? service().keepBoth(pair.id) : service().accept(pair.id),
    );
  const edited = text.trim();

  return (
    <article
      className={`card review-pair ${pair.kind}`}
      aria-labelledby={headingId}
      data-testid="review-pair"
    >
      <header className="row review-pair-head">
        <h3 id={headingId} ref={headingRef} tabIndex={-1} className="review-pair-title">
          {pair.kind === 'conflict' ? 'Conflict' : 'Possible duplicate'}
        </h3>
        <ProposalLine pair={pair} />
      </header>
      <div className="pair-sides">
        <PairMemory side="Older" memory={older} />
        <PairMemory side="Newer" memory={newer} />
      </div>
      {editing ? (
        <div className="field merged-edit">
          <label htmlFor={textId}>Merged text</label>
          <textarea
            id={textId}
            className="textarea"
            rows={3}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
      ) : (
        changes && (
          <div className="merged-text">
            <span className="message-meta">
              {proposal.decision === 'SUPERSEDE' ? 'The memory becomes' : 'Merged text'}
            </span>
            <p className="flush" data-testid="merged-text">
              {proposal.mergedContent}
            </p>
          </div>
        )
      )}
      <div className="row review-actions">
        {editing ? (
          <>
            <button
              type="button"
              className="button primary"
              disabled={busy || edited === ''}
              onClick={() => act(() => service().accept(pair.id, { content: edited }))}
            >
              Accept edited text
            </button>
            <button type="button" className="button ghost" onClick={() => setEditing(false)}>
              Cancel edit
            </button>
          </>
        ) : (
          <>
            {proposal !== null && (
              <button
                type="button"
                className="button primary"
                disabled={busy}
                onClick={acceptProposal}
              >
                {acceptLabels[proposal.decision]}
              </button>
            )}
            <button type="button" className="button" disabled={busy} onClick={startEditing}>
              {changes ? 'Edit' : 'Merge with my text…'}
            </button>
            {proposal?.decision !== 'KEEP_BOTH' && (
              <button
                type="button"
                className="button ghost"
                disabled={busy}
                onClick={() => act(() => service().keepBoth(pair.id))}
              >
                Keep both
              </button>
            )}
          </>
        )}
      </div>
      <FieldError error={error} />
    </article>
  );
}
