import { createContext, useContext } from 'react';

import type { RankedRow } from './useAskRanking';

/** Each ranked memory's rank and why, for the table's rank column. Empty when not asking. */
export const AskRankContext = createContext<ReadonlyMap<string, RankedRow>>(new Map());

export const useRankedRow = (id: string): RankedRow | undefined =>
  useContext(AskRankContext).get(id);
