import { useShallow } from 'zustand/react/shallow';

import { isUnavailable } from '../../store/ask/answerModel';
import { currentAnswerModel } from '../../store/ask/currentAnswerModel';
import { useEngineStore } from '../../store/engine/engineStore';

/** Which model Answer will ask, or why none can answer, before the user presses it. */
export function AnswerModelLine() {
  // Re-rendered when the saved endpoint or the page's policy changes: the choice depends on them.
  useEngineStore(useShallow((state) => [state.endpoint, state.policy]));
  const choice = currentAnswerModel();
  return (
    <p className="ask-status muted" data-testid="answer-by">
      {isUnavailable(choice) ? choice.unavailable : `Answers by ${choice.label}.`}
    </p>
  );
}
