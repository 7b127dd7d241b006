import { useConsolidationStore } from '../../store/consolidation/consolidationStore';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import { ViewSection } from '../common/ViewSection';
import { plural } from '../common/format';
import { EmptyState } from '../shell/EmptyState';
import { ImportChatsButton } from '../shell/ImportChatsButton';
import { ConsolidationControls } from './ConsolidationControls';
import { ReviewQueue } from './ReviewQueue';
import './consolidation.css';

/** The review queue of possible duplicates and conflicts, and the work that fills it. */
export default function TidyView() {
  const memoryCount = useMemoriesStore((state) => state.memories.length);
  const memoriesLoaded = useMemoriesStore((state) => state.loaded);
  const loaded = useConsolidationStore((state) => state.loaded);
  const pairCount = useConsolidationStore((state) => state.pairs.length);
  const phase = useConsolidationStore((state) => state.phase);

  return (
    <ViewSection
      title="Tidy"
      lede={
        <>
          Possible duplicates and conflicts among your memories. Nothing changes until you accept; a
          merged or replaced memory stays as an earlier version in the new one&apos;s details, where
          Undo brings it back.
        </>
      }
    >
      {memoriesLoaded && memoryCount === 0 ? (
        <EmptyState title="No memories to tidy yet" actions={<ImportChatsButton />}>
          Import a conversation and extract its memories first.
        </EmptyState>
      ) : (
        <>
          <ConsolidationControls />
          {!loaded ? (
            <p className="muted">Loading the review queue…</p>
          ) : pairCount > 0 ? (
            <ReviewQueue />
          ) : (
            phase !== 'detecting' && (
              <EmptyState title="Nothing to review" showExample={false}>
                No possible duplicates or conflicts are waiting among your{' '}
                {plural(memoryCount, 'memory', 'memories')}. <strong>Find duplicates</strong> looks
                again.
              </EmptyState>
            )
          )}
        </>
      )}
    </ViewSection>
  );
}
