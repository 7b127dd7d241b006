import type { Message } from '../core/conversation';
import { getDb } from './connection';
import { getMessages } from './conversationRepository';
import type { DimmemDb } from './db';
import { toMessage } from './records';

/** The messages of one stored conversation, in their original order (empty when it is gone). */
export async function loadConversationMessages(
  conversationId: string,
  options: { db?: DimmemDb } = {},
): Promise<Message[]> {
  const records = await getMessages(options.db ?? (await getDb()), conversationId);
  return records.map(toMessage);
}
