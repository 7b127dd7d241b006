import { assessGpu } from '../../engine/gpu/assessGpu';
import type { GpuAssessment } from '../../engine/gpu/assessGpu';
import { probeGpu } from '../../engine/gpu/probeGpu';
import { preferredEntry } from '../../engine/catalog/modelCatalog';
import { useEngineStore } from './engineStore';
import { selectModel } from './modelChoice';

/**
 * Checks the GPU against what the selected model still has to download, and switches to the
 * quantization the GPU supports when the selected one is the other.
 */
export async function runGpuCheck(): Promise<GpuAssessment> {
  const store = useEngineStore.getState();
  store.setGpu({ state: 'checking' });
  const facts = await probeGpu();
  const selected = store.catalog.find((entry) => entry.id === useEngineStore.getState().selectedId);
  const cached = selected ? useEngineStore.getState().cache[selected.id] : undefined;
  const needed = selected
    ? Math.max(0, (cached?.totalBytes ?? selected.approxDownloadBytes) - (cached?.storedBytes ?? 0))
    : 0;
  const assessment = assessGpu(facts, { downloadBytes: needed });
  useEngineStore.getState().setGpu({ state: 'checked', assessment });
  const current = useEngineStore.getState();
  const chosen = current.catalog.find((entry) => entry.id === current.selectedId);
  if (assessment.quantization && chosen && chosen.quantization !== assessment.quantization) {
    const better = preferredEntry(current.catalog, assessment.quantization);
    if (better) selectModel(better.id);
  }
  return assessment;
}
