import { useEffect, useRef, useState } from 'react';

import { errorText } from '../../core/errorText';
import { appServices } from '../../store/boot/appServices';
import { useConsolidationStore } from '../../store/consolidation/consolidationStore';
import { FieldError } from '../common/FieldError';
import { formatCount, plural } from '../common/format';
import { ReviewPairCard } from './ReviewPairCard';
import { queueHeading } from './consolidationText';

/** Cards rendered at first and per "Show more": each reads its memories and a queue can be long. */
const pageSize = 50;

/**
 * The open pairs, best first, under a heading that counts them, with "Accept all merges". When a
 * pair is done, focus moves to the pair that takes its place (or the heading when none is left).
 */
export function ReviewQueue() {
  const pairs = useConsolidationStore((state) => state.pairs);
  const counts = useConsolidationStore((state) => state.counts);
  const [shown, setShown] = useState(pageSize);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const cardHeadings = useRef(new Map<string, HTMLHeadingElement>());
  const acted = useRef<{ id: string; index: number } | null>(null);
  /** The pair focus was moved to: a detection after the choice may replace the queue. */
  const focused = useRef<{ id: string; index: number } | null>(null);
  const merges = pairs.filter((pair) => pair.proposal?.decision === 'MERGE').length;

  useEffect(() => {
    // A choice made, or the pair focus went to gone with a new detection (focus fell to the page).
    const fell = document.activeElement === null || document.activeElement === document.body;
    const done = acted.current ?? (fell ? focused.current : null);
    if (done === null || pairs.some((pair) => pair.id === done.id)) return;
    acted.current = null;
    const index = Math.min(done.index, pairs.length - 1);
    const next = pairs[index];
    focused.current = next ? { id: next.id, index } : null;
    const target = next ? cardHeadings.current.get(next.id) : undefined;
    (target ?? headingRef.current)?.focus();
  }, [pairs]);

  const acceptAllMerges = () => {
    setFailed(null);
    setBusy(true);
    appServices()
      .consolidation.acceptAllMerges()
      .catch((caught: unknown) => setFailed(errorText(caught)))
      .finally(() => {
        setBusy(false);
        headingRef.current?.focus();
      });
  };

  return (
    <section className="review-queue" aria-labelledby="review-queue-title">
      <div className="row review-queue-head">
        <h3
          ref={headingRef}
          tabIndex={-1}
          id="review-queue-title"
          className="section-title"
          data-testid="review-heading"
        >
          {queueHeading(counts)}
        </h3>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          disabled={busy || merges === 0}
          onClick={acceptAllMerges}
        >
          Accept all merges{merges > 0 ? ` (${formatCount(merges)})` : ''}
        </button>
      </div>
      <FieldError error={failed} />
      <ol className="review-list">
        {pairs.slice(0, shown).map((pair, index) => (
          <li key={pair.id}>
            <ReviewPairCard
              pair={pair}
              headingRef={(element) => {
                if (element) cardHeadings.current.set(pair.id, element);
                else cardHeadings.current.delete(pair.id);
              }}
              onAct={(id) => {
                acted.current = { id, index };
              }}
            />
          </li>
        ))}
      </ol>
      {pairs.length > shown && (
        <button
          type="button"
          className="button ghost"
          onClick={() => setShown((count) => count + pageSize)}
        >
          Show {plural(Math.min(pageSize, pairs.length - shown), 'more pair')}
        </button>
      )}
    </section>
  );
}
