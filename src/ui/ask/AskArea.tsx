import { AnswerPanel } from './AnswerPanel';
import { AskBox } from './AskBox';
import { AskHistory } from './AskHistory';
import type { AskRankingView } from './useAskRanking';
import './ask.css';

/** The Ask box and its answer, with the question history beside them. */
export function AskArea({ view, filteredCount }: { view: AskRankingView; filteredCount: number }) {
  return (
    <div className="ask-area">
      <div className="ask-main">
        <AskBox view={view} filteredCount={filteredCount} />
        <AnswerPanel />
      </div>
      <AskHistory />
    </div>
  );
}
