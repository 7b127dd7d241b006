import { memo, useCallback, useMemo, useState } from 'react';

import { useConversationsStore } from '../../store/conversations/conversationsStore';
import { useFilterStore } from '../../store/view/filterStore';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import type { ConversationRecord } from '../../store/db/records';
import { useViewStore } from '../../store/view/viewStore';
import { formatDateRange, plural } from '../common/format';
import { DeleteConversationConfirm } from './DeleteConversationConfirm';
import { StorageUsage } from './StorageUsage';
import './sidebar.css';

/**
 * Rows drawn at first, and added per "Show more": a heavy user's export holds thousands of
 * conversations, and drawing them all at once stalls the page for seconds.
 */
const ROWS_PER_PAGE = 150;

/** The imported conversations; choosing one shows its memories; each can be deleted. */
export function ConversationList() {
  const conversations = useConversationsStore((state) => state.conversations);
  const loaded = useConversationsStore((state) => state.loaded);
  const memories = useMemoriesStore((state) => state.memories);
  const selected = useFilterStore((state) => state.filters.conversationIds);
  const view = useViewStore((state) => state.view);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [shown, setShown] = useState(ROWS_PER_PAGE);

  const memoryCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const memory of memories) {
      counts.set(memory.conversationId, (counts.get(memory.conversationId) ?? 0) + 1);
    }
    return counts;
  }, [memories]);

  const pressedId = view === 'memories' && selected.length === 1 ? selected[0] : undefined;
  // Stable handlers, so choosing one conversation re-renders two rows, not all of them.
  const choose = useCallback((id: string) => {
    const { filters } = useFilterStore.getState();
    const only =
      filters.conversationIds.length === 1 &&
      filters.conversationIds[0] === id &&
      useViewStore.getState().view === 'memories';
    useFilterStore.getState().setFilters({ conversationIds: only ? [] : [id] });
    useViewStore.getState().setView('memories');
  }, []);
  const toggleConfirm = useCallback(
    (id: string) => setConfirming((current) => (current === id ? null : id)),
    [],
  );
  const closeConfirm = useCallback(() => setConfirming(null), []);

  return (
    <aside className="sidebar" aria-labelledby="conversations-title">
      <div className="sidebar-header">
        <h2 className="sidebar-title" id="conversations-title">
          Conversations
        </h2>
        <button
          type="button"
          className="button ghost small"
          onClick={() => useViewStore.getState().setView('import')}
        >
          + Import
        </button>
      </div>
      {loaded && conversations.length === 0 && (
        <p className="sidebar-empty">Nothing imported yet.</p>
      )}
      <ul className="conversation-list">
        {conversations.slice(0, shown).map((conversation) => (
          <ConversationRow
            key={conversation.id}
            conversation={conversation}
            memoryCount={memoryCounts.get(conversation.id) ?? 0}
            pressed={pressedId === conversation.id}
            confirming={confirming === conversation.id}
            onChoose={choose}
            onToggleConfirm={toggleConfirm}
            onCloseConfirm={closeConfirm}
          />
        ))}
      </ul>
      {conversations.length > shown && (
        <button
          type="button"
          className="button ghost small"
          onClick={() => setShown((current) => current + ROWS_PER_PAGE)}
        >
          Show {Math.min(ROWS_PER_PAGE, conversations.length - shown)} more (
          {plural(conversations.length - shown, 'conversation')} not shown)
        </button>
      )}
      <StorageUsage />
    </aside>
  );
}

interface ConversationRowProps {
  conversation: ConversationRecord;
  memoryCount: number;
  pressed: boolean;
  confirming: boolean;
  onChoose: (id: string) => void;
  onToggleConfirm: (id: string) => void;
  onCloseConfirm: () => void;
}

const ConversationRow = memo(function ConversationRow({
  conversation,
  memoryCount,
  pressed,
  confirming,
  onChoose,
  onToggleConfirm,
  onCloseConfirm,
}: ConversationRowProps) {
  return (
    <li className="conversation-row">
      <button
        type="button"
        className="conversation-item"
        aria-pressed={pressed}
        onClick={() => onChoose(conversation.id)}
        title={conversation.title}
      >
        <span className="conversation-title">{conversation.title}</span>
        <span className="conversation-meta">
          {plural(conversation.userMessageCount, 'message')} ·{' '}
          {plural(memoryCount, 'memory', 'memories')}
        </span>
        <span className="conversation-meta">
          {formatDateRange(conversation.firstTimestamp, conversation.lastTimestamp)}
        </span>
      </button>
      <button
        type="button"
        className="conversation-delete"
        aria-label={`Delete conversation “${conversation.title}”`}
        aria-expanded={confirming}
        title="Delete…"
        onClick={() => onToggleConfirm(conversation.id)}
      >
        ×
      </button>
      {confirming && (
        <DeleteConversationConfirm
          conversation={conversation}
          memoryCount={memoryCount}
          onDone={onCloseConfirm}
        />
      )}
    </li>
  );
});
