import type { FormEvent, KeyboardEvent } from 'react';

import type { AnswerPromptStyle, FusionMode } from '../../core/search';
import { appServices } from '../../store/boot/appServices';
import { useAskStore } from '../../store/ask/askStore';
import { getMeaningRoute } from '../../store/ask/meaningRoute';
import { formatCount } from '../common/format';
import { askInputId } from '../shell/useGlobalShortcuts';
import { AnswerModelLine } from './AnswerModelLine';
import { MeaningModelChoice } from './MeaningModelChoice';
import type { AskRankingView } from './useAskRanking';

const promptStyleLabels: Record<AnswerPromptStyle, string> = {
  cited: 'with citations',
  reference: 'reference prompt (no citations)',
};

/** What the ranking understood and which routes ran, in one line. */
function RankingStatus({ view, filteredCount }: { view: AskRankingView; filteredCount: number }) {
  const { ranking, meaning } = view;
  const meaningText =
    meaning.state === 'on' ? 'meaning route on' : `meaning route off (${meaning.reason})`;
  if (ranking === null) {
    return (
      <p className="ask-status muted" data-testid="ask-status">
        Type a question to rank the {formatCount(filteredCount)} memories shown, without a model ·{' '}
        {meaningText} <MeaningModelChoice />
      </p>
    );
  }
  const { result } = ranking;
  const routes = result.routesOn.map((route) =>
    route === 'bm25' ? 'words' : route === 'minilm' ? 'meaning' : route,
  );
  return (
    <p className="ask-status" data-testid="ask-status">
      {formatCount(result.hits.length)} of {formatCount(filteredCount)} memories ranked ·{' '}
      {result.timeUnderstood ? (
        <span data-testid="ask-time">{result.timeUnderstood}</span>
      ) : (
        'no time constraint'
      )}{' '}
      · routes: {routes.join(', ')} · <span data-testid="ask-meaning">{meaningText}</span>{' '}
      <MeaningModelChoice />
    </p>
  );
}

/** The Ask box above the table: typing ranks, Answer asks a model. `?` focuses it. */
export function AskBox({ view, filteredCount }: { view: AskRankingView; filteredCount: number }) {
  // The whole store: the box shows most of it, and re-rendering this small form is cheap.
  const { question, promptStyle, fusion, phase, phaseText, message } = useAskStore();
  const store = useAskStore.getState();
  const empty = question.trim() === '';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const meaning = getMeaningRoute();
    const status = meaning.status();
    void appServices().ask.answer({
      question,
      askedOn: view.askedOn,
      index: view.index,
      embed: status.state === 'on' ? (text, signal) => meaning.embedQuestion(text, signal) : null,
      meaningOff: status.state === 'off' ? status.reason : null,
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.currentTarget.blur();
    }
  };

  return (
    <div className="ask-box">
      <form className="ask-form" role="search" aria-label="Ask your memories" onSubmit={onSubmit}>
        <input
          id={askInputId}
          aria-label="Ask a question"
          className="ask-input"
          type="search"
          autoComplete="off"
          placeholder="Ask your memories, e.g. What did I want to cook in April 2023?"
          value={question}
          onChange={(event) => store.setQuestion(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <span className="kbd" aria-hidden="true">
          ?
        </span>
        <button
          type="submit"
          className="button primary"
          disabled={empty || phase !== 'idle'}
          title={empty ? 'Type a question first' : undefined}
        >
          Answer
        </button>
        {phase !== 'idle' && (
          <button type="button" className="button" onClick={() => appServices().ask.stop()}>
            Stop
          </button>
        )}
        <select
          aria-label="Answer prompt"
          value={promptStyle}
          onChange={(event) => store.setPromptStyle(event.target.value as AnswerPromptStyle)}
        >
          {(Object.keys(promptStyleLabels) as AnswerPromptStyle[]).map((style) => (
            <option key={style} value={style}>
              {promptStyleLabels[style]}
            </option>
          ))}
        </select>
        <select
          aria-label="Fusion"
          value={fusion}
          onChange={(event) => store.setFusion(event.target.value as FusionMode)}
        >
          <option value="concat">routes in turn</option>
          <option value="rrf">reciprocal rank fusion</option>
        </select>
        {!empty && (
          <button
            type="button"
            className="button ghost small"
            onClick={() => store.setQuestion('')}
          >
            Clear question
          </button>
        )}
      </form>
      <RankingStatus view={view} filteredCount={filteredCount} />
      <AnswerModelLine />
      {ranking(view).map((notice) => (
        <p key={notice} className="ask-notice">
          {notice}
        </p>
      ))}
      {phaseText && (
        <p className="ask-phase" role="status" data-testid="ask-phase">
          {phaseText}
        </p>
      )}
      {message && (
        <p className="ask-message" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}

const ranking = (view: AskRankingView) =>
  (view.ranking?.notices ?? []).filter((notice) => !notice.startsWith('Meaning route off'));
