import type { ServiceDeps } from '../tabs/publish';
import { deleteConversation } from './conversationRepository';

export interface ConversationService {
  /** Deletes a conversation and its messages; with `withMemories`, also the memories drawn from it. */
  remove(id: string, options: { withMemories: boolean }): Promise<void>;
}

export function createConversationService(deps: ServiceDeps): ConversationService {
  return {
    async remove(id, options) {
      const memoryIds = await deleteConversation(await deps.db(), id, options);
      await deps.publish({ type: 'conversation-removed', conversationId: id, memoryIds });
    },
  };
}
