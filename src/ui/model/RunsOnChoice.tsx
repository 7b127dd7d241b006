import { useId } from 'react';

import { chooseRunsOn, useEngineStore } from '../../store/engine';

/** The explicit choice between the model in this browser and an OpenAI-compatible server. */
export function RunsOnChoice() {
  const runsOn = useEngineStore((state) => state.runsOn);
  const busy = useEngineStore((state) => state.load.state === 'loading');
  const ids = { browser: useId(), endpoint: useId() };
  return (
    <fieldset className="card model-panel flush" disabled={busy}>
      <legend className="section-title runs-on-legend">Where the model runs</legend>
      <div className="row align-start">
        <input
          type="radio"
          name="runs-on"
          id={ids.browser}
          checked={runsOn === 'browser'}
          onChange={() => void chooseRunsOn('browser')}
        />
        <label className="grow" htmlFor={ids.browser}>
          <strong>In this browser (WebGPU)</strong>
          <br />
          <span className="muted">DimMem-4B on this computer’s GPU: nothing leaves it.</span>
        </label>
      </div>
      <div className="row align-start mt-6">
        <input
          type="radio"
          name="runs-on"
          id={ids.endpoint}
          checked={runsOn === 'endpoint'}
          onChange={() => void chooseRunsOn('endpoint')}
        />
        <label className="grow" htmlFor={ids.endpoint}>
          <strong>OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama)</strong>
          <br />
          <span className="muted">
            A server you run, for many conversations or without WebGPU: your chats are sent to it.
          </span>
        </label>
      </div>
    </fieldset>
  );
}
