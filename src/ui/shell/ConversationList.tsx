import { useMemo, useState } from 'react';

import { useConversationsStore } from '../../store/conversationsStore';
import { useFilterStore } from '../../store/filterStore';
import { useMemoriesStore } from '../../store/memoriesStore';
import type { ConversationRecord } from '../../store/records';
import { useViewStore } from '../../store/viewStore';
import { formatDateRange, plural } from '../format';
import { DeleteConversationConfirm } from './DeleteConversationConfirm';
import { StorageUsage } from './StorageUsage';

/** The imported conversations; choosing one shows its memories; each can be deleted. */
export function ConversationList() {
  const conversations = useConversationsStore((state) => state.conversations);
  const loaded = useConversationsStore((state) => state.loaded);
  const memories = useMemoriesStore((state) => state.memories);
  const selected = useFilterStore((state) => state.filters.conversationIds);
  const view = useViewStore((state) => state.view);
  const [confirming, setConfirming] = useState<string | null>(null);

  const memoryCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const memory of memories) {
      counts.set(memory.conversationId, (counts.get(memory.conversationId) ?? 0) + 1);
    }
    return counts;
  }, [memories]);

  const choose = (id: string) => {
    const only = selected.length === 1 && selected[0] === id && view === 'memories';
    useFilterStore.getState().setFilters({ conversationIds: only ? [] : [id] });
    useViewStore.getState().setView('memories');
  };

  const item = (conversation: ConversationRecord) => (
    <li key={conversation.id} className="conversation-row">
      <button
        type="button"
        className="conversation-item"
        aria-pressed={
          view === 'memories' && selected.length === 1 && selected[0] === conversation.id
        }
        onClick={() => choose(conversation.id)}
        title={conversation.title}
      >
        <span className="conversation-title">{conversation.title}</span>
        <span className="conversation-meta">
          {plural(conversation.userMessageCount, 'message')} ·{' '}
          {plural(memoryCounts.get(conversation.id) ?? 0, 'memory', 'memories')}
        </span>
        <span className="conversation-meta">
          {formatDateRange(conversation.firstTimestamp, conversation.lastTimestamp)}
        </span>
      </button>
      <button
        type="button"
        className="conversation-delete"
        aria-label={`Delete conversation “${conversation.title}”`}
        aria-expanded={confirming === conversation.id}
        title="Delete…"
        onClick={() => setConfirming(confirming === conversation.id ? null : conversation.id)}
      >
        ×
      </button>
      {confirming === conversation.id && (
        <DeleteConversationConfirm
          conversation={conversation}
          memoryCount={memoryCounts.get(conversation.id) ?? 0}
          onDone={() => setConfirming(null)}
        />
      )}
    </li>
  );

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
      <ul className="conversation-list">{conversations.map(item)}</ul>
      <StorageUsage />
    </aside>
  );
}
