import { useEffect, useRef, useState } from 'react';

import { useFilterStore } from '../../store/view/filterStore';
import { appServices } from '../../store/boot/appServices';
import type { ConversationRecord } from '../../store/db/records';
import { refreshStorageUsage } from '../../store/storage/storageQuota';
import { plural } from '../common/format';
import { errorText } from '../../core/errorText';
import { FieldError } from '../common/FieldError';

/**
 * Asks once more before a conversation is deleted, and whether its memories go with it (kept
 * memories still show their source message text; they just lose the link to the conversation).
 */
export function DeleteConversationConfirm({
  conversation,
  memoryCount,
  onDone,
}: {
  conversation: ConversationRecord;
  memoryCount: number;
  onDone: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);

  const remove = async (withMemories: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await appServices().conversations.remove(conversation.id, { withMemories });
      const { conversationIds } = useFilterStore.getState().filters;
      if (conversationIds.includes(conversation.id)) {
        const rest = conversationIds.filter((id) => id !== conversation.id);
        useFilterStore.getState().setFilters({ conversationIds: rest }, 'replace');
      }
      void refreshStorageUsage().catch(() => undefined);
      onDone();
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <div
      className="conversation-confirm"
      role="group"
      aria-label={`Delete “${conversation.title}”?`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onDone();
        }
      }}
    >
      <p className="flush mb-6">
        Delete “{conversation.title}” and its messages from this browser?
      </p>
      <div className="row confirm-actions">
        <button
          ref={first}
          type="button"
          className="button small danger"
          disabled={busy}
          onClick={() => void remove(true)}
        >
          {memoryCount > 0
            ? `Delete with its ${plural(memoryCount, 'memory', 'memories')}`
            : 'Delete'}
        </button>
        {memoryCount > 0 && (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => void remove(false)}
          >
            Delete, keep memories
          </button>
        )}
        <button type="button" className="button small" disabled={busy} onClick={onDone}>
          Cancel
        </button>
      </div>
      <FieldError error={error} />
    </div>
  );
}
