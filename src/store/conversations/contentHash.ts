import type { Conversation } from '../../core/conversation';

/**
 * SHA-256 (hex) of what a conversation says: each message's role, speaker, text and timestamp, in
 * order. Titles, file names and source ids are left out, so the same chat pasted once and uploaded
 * once is recognised as the same.
 */
export async function conversationContentHash(conversation: Conversation): Promise<string> {
  const canonical = JSON.stringify(
    conversation.messages.map((message) => [
      message.role,
      message.speaker,
      message.text,
      message.timestamp,
    ]),
  );
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
