import { useShallow } from 'zustand/react/shallow';

import { answerSegments } from '../../store/ask/citations';
import type { AskedQuestion } from '../../store/ask/askDetails';
import { shownQuestion, useAskStore } from '../../store/ask/askStore';
import { useViewStore } from '../../store/view/viewStore';

const statusLabels = {
  answering: 'writing…',
  done: 'done',
  stopped: 'stopped',
  failed: 'failed',
} as const;

/** The answer's text, each `[n]` a button that opens the memory it cites. */
function AnswerText({ question }: { question: AskedQuestion }) {
  const answer = question.details.answer!;
  const openMemory = useViewStore((state) => state.openMemory);
  const contentOf = new Map(question.details.hits.map((hit) => [hit.memoryId, hit.content]));
  return (
    <p className="answer-text" data-testid="answer-text">
      {answerSegments(answer.text, answer.memoryIds).map((segment, at) =>
        segment.kind === 'text' ? (
          <span key={at}>{segment.text}</span>
        ) : segment.memoryId === null ? (
          <span key={at} className="citation unknown" title="Names no memory given to the model">
            [{segment.number}]
          </span>
        ) : (
          <button
            key={at}
            type="button"
            className="citation"
            aria-label={`Memory ${segment.number}`}
            title={contentOf.get(segment.memoryId) ?? undefined}
            onClick={() => openMemory(segment.memoryId)}
          >
            [{segment.number}]
          </button>
        ),
      )}
    </p>
  );
}

/** The answer to the question shown (being written, or reopened from the history). */
export function AnswerPanel() {
  const question = useAskStore(useShallow(shownQuestion));
  if (question === null || question.details.answer === null) return null;
  const { answer, notices } = question.details;
  return (
    <section className="ask-answer" aria-label="Answer" data-testid="ask-answer">
      <header className="ask-answer-head">
        <h3 className="ask-answer-question">{question.question}</h3>
        <span className={`pill answer-status ${answer.status}`} data-testid="answer-status">
          {statusLabels[answer.status]}
        </span>
      </header>
      <p className="answer-model muted" data-testid="answer-model">
        Answer by {answer.model}
        {answer.promptStyle === 'reference' ? ' · reference prompt' : ''} · asked on{' '}
        {question.askedOn}
      </p>
      {answer.text !== '' && <AnswerText question={question} />}
      {answer.error && (
        <p className="ask-message" role="alert" data-testid="answer-error">
          {answer.error}
        </p>
      )}
      {notices.map((notice) => (
        <p key={notice} className="ask-notice">
          {notice}
        </p>
      ))}
    </section>
  );
}
