import type { Message } from '../../core/conversation';
import { getDb } from '../engine/connection';
import { getMessages } from './conversationRepository';
import type { DimmemDb } from '../db/db';
import { toMessage } from '../db/records';

/** The messages of one stored conversation, in their original order (empty when it is gone). */
export async function loadConversationMessages(
  conversationId: string,
  options: { db?: DimmemDb } = {},
): Promise<Message[]> {
  const records = await getMessages(options.db ?? (await getDb()), conversationId);
  return records.map(toMessage);
}
