import { create } from 'zustand';

import type { ConversationRecord } from '../db/records';

export interface ConversationsState {
  /** Stored conversations, oldest import first. */
  conversations: ConversationRecord[];
  loaded: boolean;
  setAll: (conversations: ConversationRecord[]) => void;
  upsert: (conversation: ConversationRecord) => void;
  /** Adds or replaces conversations (by id) in one update, however many there are. */
  upsertMany: (conversations: readonly ConversationRecord[]) => void;
  remove: (id: string) => void;
}

const byImport = (a: ConversationRecord, b: ConversationRecord) => a.importedAt - b.importedAt;

/** The conversations the user imported, as loaded from IndexedDB. Writes go through services. */
export const useConversationsStore = create<ConversationsState>()((set) => ({
  conversations: [],
  loaded: false,
  setAll: (conversations) =>
    set({ conversations: [...conversations].sort(byImport), loaded: true }),
  upsert: (conversation) =>
    set((state) => ({
      conversations: [
        ...state.conversations.filter((existing) => existing.id !== conversation.id),
        conversation,
      ].sort(byImport),
    })),
  upsertMany: (incoming) =>
    set((state) => {
      const byId = new Map(state.conversations.map((record) => [record.id, record]));
      for (const record of incoming) byId.set(record.id, record);
      return { conversations: [...byId.values()].sort(byImport) };
    }),
  remove: (id) =>
    set((state) => ({
      conversations: state.conversations.filter((conversation) => conversation.id !== id),
    })),
}));
