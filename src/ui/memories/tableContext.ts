import { createContext, useContext } from 'react';

export interface MemoryTableContext {
  /** Conversation id → title. */
  titles: ReadonlyMap<string, string>;
  /** Ids of memories the model is still writing (not stored yet). */
  provisional: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  toggleSelected: (id: string) => void;
}

export const TableContext = createContext<MemoryTableContext>({
  titles: new Map(),
  provisional: new Set(),
  selected: new Set(),
  toggleSelected: () => undefined,
});

export const useTableContext = (): MemoryTableContext => useContext(TableContext);
