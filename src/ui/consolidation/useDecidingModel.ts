import { useShallow } from 'zustand/react/shallow';

import type { AnswerModelChoice } from '../../store/ask/answerModel';
import { useAnswerModelStore } from '../../store/ask/answerModelStore';
import { currentAnswerModel } from '../../store/ask/currentAnswerModel';
import { useEngineStore } from '../../store/engine/engineStore';

/**
 * The model that decides pairs: the one the Ask box answers with (the service asks the same
 * choice when deciding starts). Re-read when what the choice depends on changes.
 */
export function useDecidingModel(): AnswerModelChoice {
  useEngineStore(useShallow((state) => [state.endpoint, state.policy, state.gpu]));
  useAnswerModelStore((state) => state.setting);
  return currentAnswerModel();
}
