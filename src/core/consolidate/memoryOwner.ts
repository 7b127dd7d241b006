/**
 * Whose memory it is, from its conversation id, so that consolidation never pairs memories of two
 * different people. Sources with one person's chats (ChatGPT, Claude, ShareGPT, OpenAI messages,
 * DimMem lines) belong to the app's user, across all their conversations. A LoCoMo conversation or
 * a pasted transcript is imported once per chosen speaker (`locomo:<sample>:<speaker>`,
 * `transcript:<text>:<speaker>`): each is its own person, even when two samples share a name. A
 * LongMemEval item is one simulated user's whole history (the reference consolidates each apart).
 * A `#2` that the importer adds to a repeated id is the same conversation again.
 */
export function memoryOwner(conversationId: string): string {
  const id = conversationId.replace(/#\d+$/, '');
  const source = id.slice(0, id.indexOf(':') + 1);
  if (source === 'locomo:' || source === 'transcript:' || source === 'longmemeval:') return id;
  return 'user';
}
