import { isLoopbackHost } from '../../engine/csp/connectSources';
import { DescribedEndpointError } from '../../engine/openai/describedEndpointError';
import { describeEndpointFailure, notAllowedFailure } from '../../engine/openai/endpointAdvice';
import type { EndpointContext } from '../../engine/openai/endpointAdvice';
import { EndpointError } from '../../engine/openai/endpointError';
import { endpointSettingsSchema, normalizeBaseUrl } from '../../engine/openai/endpointSettings';
import type { GuidedDecodingMode } from '../../engine/openai/endpointSettings';
import { createOpenAiEndpointEngine } from '../../engine/openai/openAiEndpointEngine';
import { appOrigin } from './browserEnvironment';
import { policyAllows } from './connectPolicy';
import { syncConnectPolicy } from './connectPolicySync';
import { dropEndpointApiKey, endpointApiKey, holdEndpointApiKey } from './endpointKey';
import { writeEndpointChoice } from './endpointStorage';
import type { RunsOn, SavedEndpoint } from './endpointStorage';
import { useEngineStore } from './engineStore';
import { activate, loadedEngine, unloadModel } from './modelSession';

// The OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama): chosen explicitly; chats leave the
// browser for its origin, which the page's security policy must list (see connectPolicy.ts).

async function unloadEndpointEngine(): Promise<void> {
  if (loadedEngine()?.kind === 'openai-endpoint') await unloadModel();
}

/** Runs extraction on this browser's GPU or on the saved endpoint (the latter only when saved). */
export async function chooseRunsOn(runsOn: RunsOn): Promise<void> {
  const { endpoint, setRunsOn } = useEngineStore.getState();
  setRunsOn(runsOn);
  writeEndpointChoice({ runsOn, endpoint });
  syncConnectPolicy();
  // Chats stop going to the server the moment the user turns it off.
  if (runsOn === 'browser') await unloadEndpointEngine();
}

export interface EndpointInput {
  baseUrl: string;
  model: string;
  guidedDecoding: GuidedDecodingMode;
  stream: boolean;
  /**
   * A new key, or empty to keep the one held (see {@link forgetEndpointKey}). Held in memory; in
   * sessionStorage only with `keepKeyForSession`.
   */
  apiKey: string;
  keepKeyForSession: boolean;
}

/** The base URL, normalized, or an error that says what to type instead. */
function checkedBaseUrl(baseUrl: string): string {
  const normalized = normalizeBaseUrl(baseUrl);
  const url = new URL(normalized);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new Error(
      `Plain http:// reaches only this machine (127.0.0.1 or localhost). For a server elsewhere use https://, or forward its port (ssh -L 8000:127.0.0.1:8000 gpu-host) and use http://127.0.0.1:8000/v1.`,
    );
  }
  return normalized;
}

/**
 * Saves the endpoint (not the key, see {@link EndpointInput}) and makes it the engine's place to
 * run. A connected endpoint is disconnected: the new settings apply from the next connect.
 * `reloadNeeded`: the page's security policy does not list the endpoint's origin yet.
 */
export async function saveEndpoint(input: EndpointInput): Promise<{ reloadNeeded: boolean }> {
  const baseUrl = checkedBaseUrl(input.baseUrl);
  const model = input.model.trim();
  if (!model) {
    throw new Error('Enter the served model name (the id the server lists under /v1/models).');
  }
  const previous = useEngineStore.getState().endpoint?.settings;
  const settings = endpointSettingsSchema.parse({
    ...previous,
    baseUrl,
    guidedDecoding: input.guidedDecoding,
    stream: input.stream,
  });
  const endpoint: SavedEndpoint = { settings, model };
  const keyHeld = holdEndpointApiKey(input.apiKey, input.keepKeyForSession);
  await unloadEndpointEngine();
  useEngineStore.getState().setEndpoint('endpoint', endpoint, {
    present: keyHeld,
    keptForSession: input.keepKeyForSession && keyHeld,
  });
  writeEndpointChoice({ runsOn: 'endpoint', endpoint });
  const policy = syncConnectPolicy();
  return { reloadNeeded: !policyAllows(policy.inForce, baseUrl) };
}

/** Forgets the API key (memory and session); the next connect sends none. */
export function forgetEndpointKey(): void {
  dropEndpointApiKey();
  useEngineStore.getState().setEndpointKey({ present: false, keptForSession: false });
}

/** Removes the saved endpoint and its key; extraction runs in the browser again. */
export async function forgetEndpoint(): Promise<void> {
  await unloadEndpointEngine();
  dropEndpointApiKey();
  useEngineStore.getState().setEndpoint('browser', null, { present: false, keptForSession: false });
  writeEndpointChoice({ runsOn: 'browser', endpoint: null });
  syncConnectPolicy();
}

/**
 * Connects to the saved endpoint: asks the server for its models and checks that it serves the
 * one named. From then on, runs send each window's messages to that server, and its errors
 * during a run are told in the same plain words as a failed connection.
 */
export async function connectEndpoint(): Promise<void> {
  const { endpoint, policy } = useEngineStore.getState();
  if (!endpoint) return;
  const baseUrl = normalizeBaseUrl(endpoint.settings.baseUrl);
  const context: EndpointContext = { baseUrl, appOrigin: appOrigin() };
  if (!policyAllows(policy.inForce, baseUrl)) {
    useEngineStore
      .getState()
      .setLoad({ state: 'error', modelId: endpoint.model, failure: notAllowedFailure(context) });
    return;
  }
  const apiKey = endpointApiKey();
  const engine = createOpenAiEndpointEngine({
    ...endpoint.settings,
    ...(apiKey ? { apiKey } : {}),
  });
  await activate(engine, endpoint.model, {
    sendsTo: new URL(baseUrl).origin,
    describeFailure: (error) => describeEndpointFailure(error, context),
    describeRunError: (error) =>
      error instanceof EndpointError ? new DescribedEndpointError(error, context) : error,
  });
}
