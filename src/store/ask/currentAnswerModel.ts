import { normalizeBaseUrl } from '../../engine/openai';
import { policyAllows } from '../engine/connectPolicy';
import { endpointApiKey } from '../engine/endpointKey';
import { useEngineStore } from '../engine/engineStore';
import type { AnswerModelChoice } from './answerModel';
import { useAnswerModelStore } from './answerModelStore';
import { browserAnswerModel } from './browserAnswerModel';
import { endpointAnswerModel } from './endpointAnswerModel';

/** The endpoint saved in the Model view, when the page may reach it. */
function endpointChoice(): AnswerModelChoice {
  const { endpoint, policy } = useEngineStore.getState();
  if (endpoint === null) {
    return {
      unavailable:
        'No model to answer with: save an OpenAI-compatible endpoint in the Model view, or choose a model in this browser.',
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

/**
 * The model the user chose to answer with (saved under `dimmem.ask.answer-model.v1`): the
 * endpoint, or a model of WebLLM's list in this browser; or why it cannot answer now.
 */
export function currentAnswerModel(): AnswerModelChoice {
  const { setting } = useAnswerModelStore.getState();
  return setting.kind === 'endpoint' ? endpointChoice() : browserAnswerModel(setting);
}

// Where appServices and consolidation have always found it.
export { runsGpuWatch } from './runsGpuWatch';
