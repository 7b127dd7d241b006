import { useAnswerModelStore } from '../../store/ask/answerModelStore';
import { ProgressBar } from '../common/ProgressBar';
import { phaseLabels, progressLine } from '../model/loadText';

/**
 * The answer model's swap onto the GPU: what waits, what is unloaded, how far the load is, and
 * which model is off the GPU meanwhile.
 */
export function AnswerSwapProgress() {
  const swap = useAnswerModelStore((state) => state.swap);
  if (swap.state === 'none') return null;
  if (swap.state === 'ready') {
    // The Model view keeps DimMem "ready": say here that it is off the GPU until a run needs it.
    return swap.extractorId ? (
      <p className="ask-status muted" data-testid="answer-swap">
        {swap.modelId} is on the GPU; {swap.extractorId} loads again before the next run.
      </p>
    ) : null;
  }
  if (swap.state === 'error') {
    return (
      <p className="ask-message" role="alert" data-testid="answer-swap">
        {swap.modelId} could not be loaded: {swap.message}
      </p>
    );
  }
  if (swap.state === 'waiting') {
    return (
      <p className="ask-phase" role="status" data-testid="answer-swap">
        {swap.modelId} waits for the GPU: {swap.reason}.
      </p>
    );
  }
  if (swap.state === 'unloading') {
    return (
      <p className="ask-phase" role="status" data-testid="answer-swap">
        {swap.extractorId
          ? `Unloading ${swap.extractorId} to make room for ${swap.modelId}…`
          : `Making room for ${swap.modelId}…`}
      </p>
    );
  }
  const { progress } = swap;
  return (
    <div
      className="answer-swap"
      role="status"
      aria-live="polite"
      data-testid="answer-swap"
      data-phase={progress.phase}
    >
      <p className="ask-phase">
        <strong>{phaseLabels[progress.phase]}</strong> {swap.modelId}
        {swap.extractorId
          ? ` (in place of ${swap.extractorId}, which reloads for the next run)`
          : ''}
      </p>
      <ProgressBar value={progress.fraction} label={`Loading ${swap.modelId}`} />
      <p className="muted ask-status" data-testid="answer-swap-line">
        {progressLine(progress)}
      </p>
      {/* WebLLM's own words: for a model it downloads itself, what it has fetched. */}
      <p className="muted ask-status">{progress.text}</p>
    </div>
  );
}
