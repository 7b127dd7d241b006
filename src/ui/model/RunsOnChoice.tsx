import type { ReactNode } from 'react';
import { useId } from 'react';

import { chooseRunsOn, useEngineStore } from '../../store/engine';

type RunsOn = 'browser' | 'endpoint';

/** One radio option: the choice, its title and the line that says what it means for the user's data. */
function RunsOnOption({
  value,
  checked,
  className,
  title,
  children,
}: {
  value: RunsOn;
  checked: boolean;
  className: string;
  title: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className={className}>
      <input
        type="radio"
        name="runs-on"
        id={id}
        checked={checked}
        onChange={() => void chooseRunsOn(value)}
      />
      <label className="grow" htmlFor={id}>
        <strong>{title}</strong>
        <br />
        <span className="muted">{children}</span>
      </label>
    </div>
  );
}

/** The explicit choice between the model in this browser and an OpenAI-compatible server. */
export function RunsOnChoice() {
  const runsOn = useEngineStore((state) => state.runsOn);
  const busy = useEngineStore((state) => state.load.state === 'loading');
  return (
    <fieldset className="card model-panel flush" disabled={busy}>
      <legend className="section-title runs-on-legend">Where the model runs</legend>
      <RunsOnOption
        value="browser"
        checked={runsOn === 'browser'}
        className="row align-start"
        title="In this browser (WebGPU)"
      >
        DimMem-4B on this computer’s GPU: nothing leaves it.
      </RunsOnOption>
      <RunsOnOption
        value="endpoint"
        checked={runsOn === 'endpoint'}
        className="row align-start mt-6"
        title="OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama)"
      >
        A server you run, for many conversations or without WebGPU: your chats are sent to it.
      </RunsOnOption>
    </fieldset>
  );
}
