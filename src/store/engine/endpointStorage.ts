import { z } from 'zod';

import { endpointSettingsSchema } from '../../engine/openai/endpointSettings';
import type { EndpointSettings } from '../../engine/openai/endpointSettings';

/** Where extraction runs: the model on this browser's GPU, or an OpenAI-compatible server. */
export type RunsOn = 'browser' | 'endpoint';

/** An endpoint the user saved: everything but the API key, which is never written to disk. */
export interface SavedEndpoint {
  settings: Omit<EndpointSettings, 'apiKey'>;
  /** The served model name (`--served-model-name`, the id in `/v1/models`). */
  model: string;
}

export interface EndpointChoice {
  runsOn: RunsOn;
  endpoint: SavedEndpoint | null;
}

export const endpointStorageKey = 'dimmem.engine.endpoint.v1';
/** sessionStorage: the API key, only when the user asked to keep it until the tab closes. */
export const endpointKeyStorageKey = 'dimmem.engine.endpoint-key.v1';

const storedSchema = z.object({
  runsOn: z.enum(['browser', 'endpoint']).catch('browser'),
  endpoint: z
    .object({ settings: endpointSettingsSchema, model: z.string().trim().min(1) })
    .nullable()
    .catch(null),
});

function withoutKey(settings: EndpointSettings): SavedEndpoint['settings'] {
  const { apiKey: _apiKey, ...rest } = settings;
  return rest;
}

/** The saved choice, checked with the engine's own settings schema; anything invalid is dropped. */
export function readEndpointChoice(): EndpointChoice {
  try {
    const raw = globalThis.localStorage?.getItem(endpointStorageKey);
    const parsed = storedSchema.safeParse(raw ? JSON.parse(raw) : {});
    if (!parsed.success) return { runsOn: 'browser', endpoint: null };
    const { runsOn, endpoint } = parsed.data;
    return {
      runsOn,
      endpoint: endpoint && { settings: withoutKey(endpoint.settings), model: endpoint.model },
    };
  } catch {
    return { runsOn: 'browser', endpoint: null };
  }
}

export function writeEndpointChoice(choice: EndpointChoice): void {
  const stored = {
    runsOn: choice.runsOn,
    endpoint: choice.endpoint && {
      // Rebuilt field by field, so that no API key can slip into storage.
      settings: withoutKey(choice.endpoint.settings as EndpointSettings),
      model: choice.endpoint.model,
    },
  };
  try {
    globalThis.localStorage?.setItem(endpointStorageKey, JSON.stringify(stored));
  } catch {
    // Private modes may refuse; the choice then lasts for this visit only.
  }
}

/** The key kept for this tab's session, if the user opted in. */
export function readSessionApiKey(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(endpointKeyStorageKey) || null;
  } catch {
    return null;
  }
}

/** Keeps the key until the tab closes (opt-in), or forgets it (`null`). */
export function writeSessionApiKey(key: string | null): void {
  try {
    if (key) globalThis.sessionStorage?.setItem(endpointKeyStorageKey, key);
    else globalThis.sessionStorage?.removeItem(endpointKeyStorageKey);
  } catch {
    // Without sessionStorage the key lives in memory only.
  }
}
