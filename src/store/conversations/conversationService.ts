import type { Message } from '../../core/conversation';
import { toMessage } from '../db/records';
import type { ServiceDeps } from '../tabs/publish';
import { deleteConversation, getMessages } from './conversationRepository';

export interface ConversationService {
  /** The messages of one stored conversation, in their original order (empty when it is gone). */
  messages(conversationId: string): Promise<Message[]>;
  /** Deletes a conversation and its messages; with `withMemories`, also the memories drawn from it. */
  remove(id: string, options: { withMemories: boolean }): Promise<void>;
}

export function createConversationService(deps: ServiceDeps): ConversationService {
  return {
    async messages(conversationId) {
      return (await getMessages(await deps.db(), conversationId)).map(toMessage);
    },
    async remove(id, options) {
      const { memoryIds, relinked } = await deleteConversation(await deps.db(), id, options);
      await deps.publish({ type: 'conversation-removed', conversationId: id, memoryIds, relinked });
    },
  };
}
