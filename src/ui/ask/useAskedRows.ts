import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { useAskStore } from '../../store/ask/askStore';
import { dayOf } from '../../store/ask/questionDate';
import type { MemoryRecord } from '../../store/db/records';
import { useAskRanking, type AskRankingView } from './useAskRanking';

/** The Ask box's ranking of the table's filtered rows, asked today. */
export function useAskedRows(filtered: readonly MemoryRecord[]): AskRankingView {
  const { question, fusion } = useAskStore(
    useShallow((state) => ({ question: state.question, fusion: state.fusion })),
  );
  const [askedOn] = useState(() => dayOf(Date.now()));
  return useAskRanking(filtered, question, askedOn, fusion);
}
