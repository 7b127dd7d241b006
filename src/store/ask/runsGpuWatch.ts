import { useEngineStore } from '../engine/engineStore';
import { useRunsStore } from '../runs/runsStore';
import type { GpuWatch } from './gpuWatch';

/** What holds this browser's GPU for extraction now, or null. */
function extractionOnGpu(): string | null {
  if (Object.keys(useRunsStore.getState().owners).length > 0) {
    return 'a run is extracting memories on the GPU';
  }
  const { load } = useEngineStore.getState();
  return load.state === 'loading' ? `${load.modelId} is loading for extraction` : null;
}

/** A run holds the GPU while any tab extracts memories, and while this tab loads its model. */
export const runsGpuWatch: GpuWatch = {
  busy: extractionOnGpu,
  subscribe: (listener) => {
    const stopRuns = useRunsStore.subscribe(listener);
    const stopEngine = useEngineStore.subscribe(listener);
    return () => {
      stopRuns();
      stopEngine();
    };
  },
};
