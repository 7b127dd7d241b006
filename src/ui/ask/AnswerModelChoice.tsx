import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import type { AnswerModelSetting } from '../../store/ask/answerModelSetting';
import { useAnswerModelStore } from '../../store/ask/answerModelStore';
import {
  chooseAnswerModel,
  loadAnswerModelOptions,
  qwen3AnswerFacts,
} from '../../store/ask/browserAnswerModel';
import { formatBytes, useEngineStore } from '../../store/engine';

type Kind = AnswerModelSetting['kind'];

/** "3.4 GB of GPU memory", as WebLLM lists it (it lists no download sizes). */
const gpuMemory = (mb: number | null) =>
  mb === null ? 'GPU memory not listed' : `${formatBytes(mb * 2 ** 20)} of GPU memory`;

/**
 * Which model answers: the endpoint, Qwen3-4B in this browser, or another model of WebLLM's list.
 * Two native selects, so the keyboard and screen readers work as everywhere else.
 */
export function AnswerModelChoice() {
  const setting = useAnswerModelStore((state) => state.setting);
  const options = useAnswerModelStore((state) => state.options);
  const optionsError = useAnswerModelStore((state) => state.optionsError);
  // Re-rendered when the GPU check or the cache status changes: the Qwen3-4B line reads them.
  useEngineStore(useShallow((state) => [state.gpu, state.cache, state.catalog]));
  // "Another model" shows its list before one is picked (and saved).
  const [pickingOther, setPickingOther] = useState(false);
  const kind: Kind = pickingOther ? 'webllm' : setting.kind;
  useEffect(() => {
    if (kind === 'webllm') void loadAnswerModelOptions();
  }, [kind]);

  const qwen3 = qwen3AnswerFacts();
  const qwen3Size = qwen3.stored
    ? 'downloaded'
    : qwen3.downloadBytes === null
      ? 'download size unknown'
      : `${formatBytes(qwen3.downloadBytes)} download, once`;
  const onKind = (next: Kind) => {
    setPickingOther(next === 'webllm');
    if (next !== 'webllm') chooseAnswerModel({ kind: next });
  };
  const picked = setting.kind === 'webllm' ? setting.modelId : '';

  return (
    <div className="answer-choice">
      <label className="answer-choice-field">
        <span className="muted">Answering model</span>
        <select
          aria-label="Answering model"
          value={kind}
          onChange={(event) => onKind(event.target.value as Kind)}
        >
          <option value="endpoint">the endpoint of the Model view</option>
          <option value="qwen3-4b">
            {qwen3.modelId} in this browser ({qwen3Size})
          </option>
          <option value="webllm">another model of WebLLM’s list, in this browser</option>
        </select>
      </label>
      {kind === 'webllm' && (
        <label className="answer-choice-field">
          <span className="muted">WebLLM model</span>
          <select
            aria-label="WebLLM model"
            value={picked}
            disabled={options === null}
            onChange={(event) => {
              setPickingOther(false);
              chooseAnswerModel({ kind: 'webllm', modelId: event.target.value });
            }}
          >
            <option value="" disabled>
              {options === null ? 'Reading WebLLM’s list…' : 'Pick a model…'}
            </option>
            {(options ?? []).map((option) => (
              <option key={option.id} value={option.id}>
                {option.id} · {gpuMemory(option.vramMB)}
                {option.lowResource ? ' · fits small devices' : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {optionsError && (
        <span className="ask-message" role="alert">
          WebLLM’s list could not be read: {optionsError}
        </span>
      )}
    </div>
  );
}
