import { useEffect, useState } from 'react';

import type { Message } from '../../core/conversation';
import { getDb } from '../../store/connection';
import { getMessages } from '../../store/conversationRepository';
import { toMessage } from '../../store/records';

type Loaded = { id: string; messages: Message[] | null; error: string | null };

/**
 * The messages of one conversation, read once per conversation (through the store's repository;
 * the UI never opens IndexedDB itself). `messages` is null while loading.
 */
export function useConversationMessages(conversationId: string | null): Loaded | null {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    if (conversationId === null) return;
    let cancelled = false;
    getDb()
      .then((db) => getMessages(db, conversationId))
      .then(
        (records) => {
          if (!cancelled) {
            setLoaded({ id: conversationId, messages: records.map(toMessage), error: null });
          }
        },
        (error: unknown) => {
          if (!cancelled) {
            setLoaded({
              id: conversationId,
              messages: null,
              error: error instanceof Error ? error.message : String(error),
            });
          }
        },
      );
    return () => {
      cancelled = true;
    };
  }, [conversationId]);
  return loaded?.id === conversationId ? loaded : null;
}
