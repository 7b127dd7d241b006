import {
  alwaysAllowedConnectSources,
  connectPolicyMarker,
  connectSourcesAllow,
  connectSourcesForUrls,
  connectSourcesStorageKey,
  defaultConnectSources,
  parseConnectPolicy,
  uniqueSources,
} from '../../engine/csp/connectSources';
import { normalizeBaseUrl } from '../../engine/openai/endpointSettings';
import { checkpointSourcesWanted } from '../modelBuild/modelBuildSettings';
import type { RunsOn, SavedEndpoint } from './endpointStorage';
import type { EngineSources } from './modelSources';

/** What the page's policy lets it connect to, and what the user's choices need. */
export interface ConnectPolicyState {
  /** The sources the policy in force allows; null when the page has no narrowed policy. */
  inForce: string[] | null;
  /** The sources the current choices need. */
  wanted: string[];
  /** Wanted but not allowed yet: the page must reload before it can reach these. */
  missing: string[];
}

/** The URLs the user chose that the page must reach (model URL, model library, endpoint). */
export interface ChosenUrls {
  userUrl: string | null;
  userLibraryUrl: string | null;
  endpointBaseUrl: string | null;
  /** Hosts a model build reads the checkpoint from (while one runs, or as the user chose). */
  checkpointSources?: readonly string[];
}

function selfOrigin(): string | undefined {
  return globalThis.location?.origin;
}

/** The narrowed `connect-src` that `public/connect-policy.js` added when the page loaded. */
export function readPolicyInForce(): string[] | null {
  if (typeof document === 'undefined') return null;
  const meta = document.querySelector(`meta[${connectPolicyMarker}]`);
  const content = meta?.getAttribute('content');
  return content ? parseConnectPolicy(content) : null;
}

/**
 * The sources the choices need: the build's defaults (its DimMem URL and WebLLM's prebuilt
 * Qwen3-4B, both always in the model catalog), the user's model URL and library, the endpoint.
 */
export function wantedConnectSources(chosen: ChosenUrls): string[] {
  const urls = [chosen.userUrl, chosen.userLibraryUrl, chosen.endpointBaseUrl].filter(
    (url): url is string => url !== null,
  );
  return uniqueSources([
    defaultConnectSources(import.meta.env.VITE_DIMMEM_MODEL_URL || null),
    connectSourcesForUrls(urls, selfOrigin()),
    chosen.checkpointSources ?? [],
  ]);
}

export function connectPolicyState(chosen: ChosenUrls): ConnectPolicyState {
  const inForce = readPolicyInForce();
  const wanted = wantedConnectSources(chosen);
  const missing = inForce === null ? [] : wanted.filter((source) => !inForce.includes(source));
  return { inForce, wanted, missing };
}

/** The user's choices that decide which hosts the page must reach. */
export interface EngineChoices {
  sources: Pick<EngineSources, 'userUrl' | 'userLibraryUrl'>;
  runsOn: RunsOn;
  endpoint: SavedEndpoint | null;
}

function endpointBaseUrlOf(runsOn: RunsOn, endpoint: SavedEndpoint | null): string | null {
  if (runsOn !== 'endpoint' || !endpoint) return null;
  try {
    return normalizeBaseUrl(endpoint.settings.baseUrl);
  } catch {
    return null;
  }
}

/** The policy state for these choices (and for a model build, when one runs or waits). */
export function policyForChoices(choices: EngineChoices): ConnectPolicyState {
  return connectPolicyState({
    userUrl: choices.sources.userUrl,
    userLibraryUrl: choices.sources.userLibraryUrl,
    endpointBaseUrl: endpointBaseUrlOf(choices.runsOn, choices.endpoint),
    checkpointSources: checkpointSourcesWanted(),
  });
}

/** Saves the list for the next page load (connect-policy.js reads it before the app starts). */
export function saveWantedConnectSources(wanted: readonly string[]): void {
  try {
    globalThis.localStorage?.setItem(connectSourcesStorageKey, JSON.stringify(wanted));
  } catch {
    // Without storage the next load allows the build's defaults only.
  }
}

/** Whether the policy in force lets the page reach `url` (true when nothing narrowed it). */
export function policyAllows(inForce: readonly string[] | null, url: string): boolean {
  const origin = selfOrigin();
  if (inForce === null || origin === undefined) return true;
  return connectSourcesAllow([...alwaysAllowedConnectSources, ...inForce], url, origin);
}

/** Reloads the page, so that its policy covers what the user just chose. */
export function reloadPage(): void {
  globalThis.location?.reload();
}
