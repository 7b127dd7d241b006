import type { Conversation } from '../../core/conversation';
import { getDb } from '../engine/connection';
import { conversationContentHash } from '../conversations/contentHash';
import {
  findConversationsByHash,
  getConversationRecord,
  saveConversation,
} from '../conversations/conversationRepository';
import { useConversationsStore } from '../conversations/conversationsStore';
import type { DimmemDb } from '../db/db';
import type { ConversationRecord } from '../db/records';
import type { TabChannel } from '../tabs/tabChannel';
import { channelOf } from '../tabs/tabChannel';

/** What to do with a conversation that is already stored. */
export type ReimportChoice = 'skip' | 'replace' | 'keep-both';

export interface ImportCandidate {
  conversation: Conversation;
  contentHash: string;
  /** The stored conversation this one repeats, if any. */
  existing: ConversationRecord | null;
  /**
   * `same-content`: the same messages are stored already (under any id or file name).
   * `same-source`: the same source conversation is stored with different content (e.g. a chat
   * that went on since the last export).
   */
  match: 'same-content' | 'same-source' | null;
}

export interface ImportOutcome {
  saved: ConversationRecord[];
  skipped: ConversationRecord[];
}

/** Checks each conversation against what is stored, before anything is written. */
export async function checkImport(
  conversations: readonly Conversation[],
  db?: DimmemDb,
): Promise<ImportCandidate[]> {
  const database = db ?? (await getDb());
  return Promise.all(
    conversations.map(async (conversation) => {
      const contentHash = await conversationContentHash(conversation);
      const sameContent = await findConversationsByHash(database, contentHash);
      const sameId = await getConversationRecord(database, conversation.id);
      const existing =
        sameContent.find((record) => record.id === conversation.id) ?? sameContent[0] ?? null;
      if (existing) return { conversation, contentHash, existing, match: 'same-content' as const };
      if (sameId)
        return { conversation, contentHash, existing: sameId, match: 'same-source' as const };
      return { conversation, contentHash, existing: null, match: null };
    }),
  );
}

/** The first id not taken: `id~2`, `id~3`, … */
async function freeCopyId(db: DimmemDb, id: string): Promise<{ id: string; copy: number }> {
  for (let copy = 2; ; copy += 1) {
    const candidate = `${id}~${copy}`;
    if (!(await getConversationRecord(db, candidate))) return { id: candidate, copy };
  }
}

/**
 * Saves the candidates. New conversations are saved as they are; for one that is already stored,
 * `choose` decides: skip it, replace the stored one (same id, so memories drawn from it stay linked)
 * or keep both (the new one gets a `~2` id and a "(2)" title).
 */
export async function saveImport(
  candidates: readonly ImportCandidate[],
  choose: (candidate: ImportCandidate) => ReimportChoice,
  options: { db?: DimmemDb; channel?: TabChannel | null; now?: () => number } = {},
): Promise<ImportOutcome> {
  const db = options.db ?? (await getDb());
  const now = options.now ?? Date.now;
  const outcome: ImportOutcome = { saved: [], skipped: [] };
  for (const candidate of candidates) {
    const { conversation, contentHash, existing } = candidate;
    let toSave = conversation;
    if (existing) {
      const choice = choose(candidate);
      if (choice === 'skip') {
        outcome.skipped.push(existing);
        continue;
      }
      if (choice === 'replace') {
        toSave = { ...conversation, id: existing.id };
      } else {
        const { id, copy } = await freeCopyId(db, conversation.id);
        toSave = { ...conversation, id, title: `${conversation.title} (${copy})` };
      }
    }
    const record = await saveConversation(db, toSave, contentHash, now());
    useConversationsStore.getState().upsert(record);
    outcome.saved.push(record);
  }
  if (outcome.saved.length > 0) channelOf(options).post({ type: 'reload', what: 'conversations' });
  return outcome;
}

/**
 * Conversations saved elsewhere (by the import worker) join the list in one update, however many
 * there are, and other tabs reload theirs.
 */
export function publishSavedConversations(
  saved: readonly ConversationRecord[],
  options: { channel?: TabChannel | null } = {},
): void {
  if (saved.length === 0) return;
  const store = useConversationsStore.getState();
  const byId = new Map(store.conversations.map((record) => [record.id, record]));
  for (const record of saved) byId.set(record.id, record);
  store.setAll([...byId.values()]);
  channelOf(options).post({ type: 'reload', what: 'conversations' });
}
