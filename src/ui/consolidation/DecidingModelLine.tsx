import type { AnswerModelChoice } from '../../store/ask/answerModel';
import { isUnavailable } from '../../store/ask/answerModel';

/** Which model decides, or why none can and what works without one. */
export function DecidingModelLine({ choice }: { choice: AnswerModelChoice }) {
  if (isUnavailable(choice)) {
    return (
      <p className="notice consolidation-model" data-testid="consolidation-unavailable">
        <strong>Ask the model</strong> cannot run now. {choice.unavailable} Exact and near-exact
        duplicates are merged by rule, without a model; the other pairs wait here until a model can
        decide, or until you decide them yourself.
      </p>
    );
  }
  return (
    <p className="muted consolidation-model" data-testid="consolidation-model">
      Decisions by {choice.label} (the Ask box&apos;s answering model). Nothing changes until you
      accept.
    </p>
  );
}
