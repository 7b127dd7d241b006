import { useId } from 'react';

import { chooseRunsOn, useEngineStore } from '../../store/engine/engineStore';

/** The explicit choice between the model in this browser and an OpenAI-compatible server. */
export function RunsOnChoice() {
  const runsOn = useEngineStore((state) => state.runsOn);
  const busy = useEngineStore((state) => state.load.state === 'loading');
  const ids = { browser: useId(), endpoint: useId() };
  return (
    <fieldset className="card" style={{ padding: 16, margin: 0 }} disabled={busy}>
      <legend className="section-title" style={{ padding: '0 4px' }}>
        Where the model runs
      </legend>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <input
          type="radio"
          name="runs-on"
          id={ids.browser}
          checked={runsOn === 'browser'}
          onChange={() => void chooseRunsOn('browser')}
        />
        <label htmlFor={ids.browser} style={{ flex: 1 }}>
          <strong>In this browser (WebGPU)</strong>
          <br />
          <span className="muted">DimMem-4B on this computer’s GPU: nothing leaves it.</span>
        </label>
      </div>
      <div className="row" style={{ alignItems: 'flex-start', marginTop: 6 }}>
        <input
          type="radio"
          name="runs-on"
          id={ids.endpoint}
          checked={runsOn === 'endpoint'}
          onChange={() => void chooseRunsOn('endpoint')}
        />
        <label htmlFor={ids.endpoint} style={{ flex: 1 }}>
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
