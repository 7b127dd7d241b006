import { create } from 'zustand';

import type { ModelCacheStatus } from '../../engine/cache/modelCacheStatus';
import type { CatalogEntry } from '../../engine/catalog/modelCatalog';
import type { GpuAssessment } from '../../engine/gpu/assessGpu';
import type { ExtractionEngine, LoadProgress } from '../../engine/types';
import { policyForChoices } from './connectPolicy';
import type { ConnectPolicyState } from './connectPolicy';
import { endpointApiKey } from './endpointKey';
import { readEndpointChoice } from './endpointStorage';
import type { RunsOn, SavedEndpoint } from './endpointStorage';
import type { EngineFailure } from './engineFailure';
import { readSources } from './modelSources';
import type { EngineSources } from './modelSources';

export type { EngineFailure } from './engineFailure';
export type { EngineSources } from './modelSources';

export type LoadState =
  | { state: 'idle' }
  | { state: 'loading'; modelId: string; progress: LoadProgress }
  | {
      state: 'ready';
      modelId: string;
      kind: ExtractionEngine['kind'];
      /** The origin chats are sent to (an endpoint engine); null when they stay in the browser. */
      sendsTo: string | null;
      /**
       * Unloaded from the GPU for a model answering questions (store/ask): still the chosen
       * extractor, loaded again before a run's next window.
       */
      setAside?: boolean;
    }
  | { state: 'error'; modelId: string; failure: EngineFailure };

/** Whether an API key is held for the endpoint, and whether it is kept until the tab closes. */
export interface EndpointKeyState {
  present: boolean;
  keptForSession: boolean;
}

/**
 * The engine as the views see it. Only the named actions below change it; the services beside
 * this file (model sources, catalog, GPU check, model session, cache, endpoint) call them.
 */
export interface EngineStoreState {
  sources: EngineSources;
  catalog: CatalogEntry[];
  catalogError: string | null;
  selectedId: string | null;
  gpu: { state: 'unchecked' | 'checking' } | { state: 'checked'; assessment: GpuAssessment };
  cache: Record<string, ModelCacheStatus>;
  load: LoadState;
  /** Speeds of the last extraction, for the status bar. */
  lastSpeed: { prefill: number | null; decode: number | null } | null;
  /** Where extraction runs: this browser's GPU, or the saved OpenAI-compatible endpoint. */
  runsOn: RunsOn;
  endpoint: SavedEndpoint | null;
  endpointKey: EndpointKeyState;
  /** Which hosts the page's security policy lets it reach, and which choices still need a reload. */
  policy: ConnectPolicyState;
  setSources: (sources: EngineSources) => void;
  setCatalog: (catalog: CatalogEntry[], error?: string | null) => void;
  select: (id: string | null) => void;
  setGpu: (gpu: EngineStoreState['gpu']) => void;
  setCacheStatus: (id: string, status: ModelCacheStatus) => void;
  setLoad: (load: LoadState) => void;
  setLastSpeed: (speed: EngineStoreState['lastSpeed']) => void;
  setPolicy: (policy: ConnectPolicyState) => void;
  setRunsOn: (runsOn: RunsOn) => void;
  setEndpoint: (runsOn: RunsOn, endpoint: SavedEndpoint | null, key: EndpointKeyState) => void;
  setEndpointKey: (key: EndpointKeyState) => void;
}

export const useEngineStore = create<EngineStoreState>()((set) => {
  // The saved choices, read once before the first render.
  const sources = readSources();
  const { runsOn, endpoint } = readEndpointChoice();
  const keyHeld = endpointApiKey() !== null;
  return {
    sources,
    catalog: [],
    catalogError: null,
    selectedId: null,
    gpu: { state: 'unchecked' },
    cache: {},
    load: { state: 'idle' },
    lastSpeed: null,
    runsOn,
    endpoint,
    endpointKey: { present: keyHeld, keptForSession: keyHeld },
    policy: policyForChoices({ sources, runsOn, endpoint }),
    setSources: (sources) => set({ sources }),
    setCatalog: (catalog, catalogError = null) => set({ catalog, catalogError }),
    select: (selectedId) => set({ selectedId }),
    setGpu: (gpu) => set({ gpu }),
    setCacheStatus: (id, status) => set((state) => ({ cache: { ...state.cache, [id]: status } })),
    setLoad: (load) => set({ load }),
    setLastSpeed: (lastSpeed) => set({ lastSpeed }),
    setPolicy: (policy) => set({ policy }),
    setRunsOn: (runsOn) => set({ runsOn }),
    setEndpoint: (runsOn, endpoint, endpointKey) => set({ runsOn, endpoint, endpointKey }),
    setEndpointKey: (endpointKey) => set({ endpointKey }),
  };
});
