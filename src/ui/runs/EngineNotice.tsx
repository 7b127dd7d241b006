import { useState } from 'react';

import { errorText } from '../../core/errorText';
import { startReplayDemo, useEngineStore } from '../../store/engine';
import { useViewStore } from '../../store/view/viewStore';
import { FieldError } from '../common/FieldError';

/** How fast the demo replays its recorded answer: as a typical GPU would write it, or quickly. */
const replayPaces = [
  { tokensPerSecond: 25, label: 'realistic (25 tokens/s)' },
  { tokensPerSecond: 400, label: 'fast (400 tokens/s)' },
] as const;

/** What a run would run on: the loaded model, a server, or nothing yet (with the demo offered). */
export function EngineNotice() {
  const load = useEngineStore((state) => state.load);
  const [error, setError] = useState<string | null>(null);
  const [pace, setPace] = useState<number>(replayPaces[0].tokensPerSecond);
  if (load.state === 'ready' && load.sendsTo) {
    return (
      <p className="notice warning engine-notice" data-testid="runs-endpoint">
        {load.modelId} at {load.sendsTo}: runs send the messages of each window to that server.
      </p>
    );
  }
  if (load.state === 'ready') {
    return (
      <p className="notice success engine-notice">
        {load.kind === 'replay'
          ? 'Demo mode: recorded answers of DimMem-4B for the example conversation are replayed; memories are labelled “recorded”.'
          : `${load.modelId} is loaded on this computer's GPU.`}
      </p>
    );
  }
  return (
    <div className="notice warning engine-notice">
      <p className="notice-title">No model is loaded</p>
      <p className="engine-notice-text">
        {load.state === 'loading'
          ? 'The model is loading; you can start once it is ready.'
          : 'Load DimMem-4B in the Model view, or try the demo, which replays answers the model recorded for the example conversation.'}
      </p>
      <div className="row">
        <button
          type="button"
          className="button"
          onClick={() => useViewStore.getState().setView('model')}
        >
          Choose a model
        </button>
        <button
          type="button"
          className="button"
          disabled={load.state === 'loading'}
          onClick={() => {
            setError(null);
            startReplayDemo(pace).catch((caught: unknown) => setError(errorText(caught)));
          }}
        >
          Demo with recorded answers
        </button>
        <label className="row pace-choice">
          <span className="muted">pace</span>
          <select
            className="select"
            value={pace}
            onChange={(event) => setPace(Number(event.target.value))}
          >
            {replayPaces.map((option) => (
              <option key={option.tokensPerSecond} value={option.tokensPerSecond}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <FieldError error={error} />
    </div>
  );
}
