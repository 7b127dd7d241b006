import { useEffect, useState } from 'react';

import type { Message } from '../../core/conversation';
import { appServices } from '../../store/boot/appServices';
import { errorText } from '../../core/errorText';

type Loaded = { id: string; messages: Message[] | null; error: string | null };

/**
 * The messages of one conversation, read once per conversation (through the store's service; the
 * UI never opens IndexedDB itself). `messages` is null while loading.
 */
export function useConversationMessages(conversationId: string | null): Loaded | null {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    if (conversationId === null) return;
    let cancelled = false;
    appServices()
      .conversations.messages(conversationId)
      .then(
        (messages) => {
          if (!cancelled) setLoaded({ id: conversationId, messages, error: null });
        },
        (error: unknown) => {
          if (!cancelled) {
            setLoaded({
              id: conversationId,
              messages: null,
              error: errorText(error),
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
