import { useShallow } from 'zustand/react/shallow';

import { isUnavailable } from '../../store/ask/answerModel';
import { useAnswerModelStore } from '../../store/ask/answerModelStore';
import { currentAnswerModel } from '../../store/ask/currentAnswerModel';
import { useEngineStore } from '../../store/engine/engineStore';
import { AnswerModelChoice } from './AnswerModelChoice';
import { AnswerSwapProgress } from './AnswerSwapProgress';

/** Which model Answer will ask (chosen here), or why none can answer, and its swap onto the GPU. */
export function AnswerModelLine() {
  // Re-rendered when what the choice depends on changes: the endpoint, the policy, the GPU check.
  useEngineStore(useShallow((state) => [state.endpoint, state.policy, state.gpu]));
  useAnswerModelStore((state) => state.setting);
  const choice = currentAnswerModel();
  return (
    <div className="answer-model-line">
      <AnswerModelChoice />
      <p className="ask-status muted" data-testid="answer-by">
        {isUnavailable(choice) ? choice.unavailable : `Answers by ${choice.label}.`}
      </p>
      <AnswerSwapProgress />
    </div>
  );
}
