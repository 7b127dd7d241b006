import { useMemo } from 'react';

import { useConversationsStore } from '../../store/conversations/conversationsStore';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import { useRunsStore } from '../../store/runs/runsStore';
import { EmptyState } from '../shell/EmptyState';
import { RunCard } from './RunCard';
import { RunPlanner } from './RunPlanner';
import './runs.css';
import { noTimeWarnings, timeWarningsByRun } from './timeWarnings';
import { ImportChatsButton } from '../shell/ImportChatsButton';
import { ViewSection } from '../common/ViewSection';

/** Plan and start extraction runs; watch, pause, cancel, resume and retry them. */
export default function RunsView() {
  const conversations = useConversationsStore((state) => state.conversations);
  const loaded = useConversationsStore((state) => state.loaded);
  const runs = useRunsStore((state) => state.runs);
  const memories = useMemoriesStore((state) => state.memories);
  const warnings = useMemo(() => timeWarningsByRun(memories), [memories]);

  return (
    <ViewSection
      title="Runs"
      lede={
        <>
          The model reads your messages on this computer&apos;s GPU and writes memories; they appear
          in the Memories view while it writes.
        </>
      }
    >
      {loaded && conversations.length === 0 ? (
        <EmptyState title="Nothing to extract yet" actions={<ImportChatsButton />}>
          Import a conversation first.
        </EmptyState>
      ) : (
        <RunPlanner />
      )}
      {runs.length > 0 && <h3 className="section-title">Runs</h3>}
      {runs.map((run) => (
        <RunCard key={run.id} run={run} warnings={warnings.get(run.id) ?? noTimeWarnings} />
      ))}
    </ViewSection>
  );
}
