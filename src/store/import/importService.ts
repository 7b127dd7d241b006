import type { Conversation } from '../../core/conversation';
import { conversationContentHash } from '../conversations/contentHash';
import {
  findConversationsByHash,
  getConversationRecord,
  saveConversation,
} from '../conversations/conversationRepository';
import type { DimmemDb } from '../db/db';
import type { ConversationRecord } from '../db/records';
import type { ServiceDeps } from '../tabs/publish';
import type { StoredMatchKind } from './storedIndex';
import { matchStored } from './storedIndex';

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
  match: StoredMatchKind | null;
}

export interface ImportOutcome {
  saved: ConversationRecord[];
  skipped: ConversationRecord[];
}

/** The page's import of conversations it read itself (the import worker saves large files). */
export interface ImportService {
  /** Checks each conversation against what is stored, before anything is written. */
  check(conversations: readonly Conversation[]): Promise<ImportCandidate[]>;
  /**
   * Saves the candidates, then publishes them. New conversations are saved as they are; for one
   * that is already stored, `choose` decides: skip it, replace the stored one (same id, so memories
   * drawn from it stay linked) or keep both (the new one gets a `~2` id and a "(2)" title).
   */
  save(
    candidates: readonly ImportCandidate[],
    choose: (candidate: ImportCandidate) => ReimportChoice,
  ): Promise<ImportOutcome>;
  /** Conversations the import worker saved (committed there) join this tab's list and the others'. */
  publishSaved(saved: readonly ConversationRecord[]): Promise<void>;
}

export function createImportService(deps: ServiceDeps & { now?: () => number }): ImportService {
  const now = deps.now ?? Date.now;
  const publishSaved = async (saved: readonly ConversationRecord[]) => {
    if (saved.length === 0) return;
    await deps.publish({ type: 'conversations-saved', conversations: [...saved] });
  };
  return {
    async check(conversations) {
      const db = await deps.db();
      return Promise.all(
        conversations.map(async (conversation) => {
          const contentHash = await conversationContentHash(conversation);
          const sameContent = await findConversationsByHash(db, contentHash);
          const sameId = await getConversationRecord(db, conversation.id);
          const found = matchStored(conversation.id, sameContent, sameId);
          return {
            conversation,
            contentHash,
            existing: found?.existing ?? null,
            match: found?.match ?? null,
          };
        }),
      );
    },
    async save(candidates, choose) {
      const db = await deps.db();
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
        outcome.saved.push(await saveConversation(db, toSave, contentHash, now()));
      }
      await publishSaved(outcome.saved);
      return outcome;
    },
    publishSaved,
  };
}

/** The first id not taken: `id~2`, `id~3`, … */
async function freeCopyId(db: DimmemDb, id: string): Promise<{ id: string; copy: number }> {
  for (let copy = 2; ; copy += 1) {
    const candidate = `${id}~${copy}`;
    if (!(await getConversationRecord(db, candidate))) return { id: candidate, copy };
  }
}
