import { normalizeBaseUrl } from '../../engine/openai';
import { policyAllows } from '../engine/connectPolicy';
import { endpointApiKey } from '../engine/endpointKey';
import { useEngineStore } from '../engine/engineStore';
import { useRunsStore } from '../runs/runsStore';
import type { AnswerModelChoice } from './answerModel';
import { endpointAnswerModel } from './endpointAnswerModel';
import type { GpuWatch } from './gpuWatch';

/**
 * The endpoint saved in the Model view answers, when the page may reach it. (WebLLM answers in
 * this browser are not built yet: the GPU watch below already queues GPU models behind runs.)
 */
export function currentAnswerModel(): AnswerModelChoice {
  const { endpoint, policy } = useEngineStore.getState();
  if (endpoint === null) {
    return {
      unavailable:
        'No model to answer with: save an OpenAI-compatible endpoint in the Model view (answers by a model in this browser are not available yet).',
    };
  }
  const baseUrl = normalizeBaseUrl(endpoint.settings.baseUrl);
  if (!policyAllows(policy.inForce, baseUrl)) {
    return {
      unavailable: `This page may not reach ${new URL(baseUrl).origin} yet: reload it (the Model view saved the endpoint).`,
    };
  }
  return endpointAnswerModel(endpoint, { apiKey: endpointApiKey() });
}

/** A run holds the GPU while any tab extracts memories. */
export const runsGpuWatch: GpuWatch = {
  busy: () =>
    Object.keys(useRunsStore.getState().owners).length > 0
      ? 'a run is extracting memories on the GPU'
      : null,
  subscribe: (listener) => useRunsStore.subscribe(listener),
};
