import { useEffect } from 'react';

import { initModelCatalog, runGpuCheck } from '../../store/engineStore';
import { GpuCheckPanel } from './GpuCheckPanel';
import { LoadPanel } from './LoadPanel';
import { ModelSourcePicker } from './ModelSourcePicker';

/** The Model view: GPU check, model source, download and load. Mounted at `?view=model`. */
export function ModelView() {
  useEffect(() => {
    void (async () => {
      await initModelCatalog();
      await runGpuCheck();
    })();
  }, []);
  return (
    <section className="view" aria-labelledby="model-view-title">
      <h2 className="view-title" id="model-view-title">
        Model
      </h2>
      <p className="view-lede">
        DimMem-4B runs on this computer’s GPU through WebGPU. Its files are downloaded once and kept
        in this browser; nothing you import is ever sent anywhere.
      </p>
      <div style={{ display: 'grid', gap: 16 }}>
        <GpuCheckPanel />
        <ModelSourcePicker />
        <LoadPanel />
      </div>
    </section>
  );
}

export default ModelView;
