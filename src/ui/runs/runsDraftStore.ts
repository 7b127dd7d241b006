import { create } from 'zustand';

interface RunsDraftState {
  /** Conversations picked for the next run. */
  conversationIds: string[];
  choose: (ids: string[]) => void;
  toggle: (id: string) => void;
}

/** The Runs view's pick list; the Import view fills it with what was just imported. */
export const useRunsDraftStore = create<RunsDraftState>()((set) => ({
  conversationIds: [],
  choose: (conversationIds) => set({ conversationIds }),
  toggle: (id) =>
    set((state) => ({
      conversationIds: state.conversationIds.includes(id)
        ? state.conversationIds.filter((existing) => existing !== id)
        : [...state.conversationIds, id],
    })),
}));
