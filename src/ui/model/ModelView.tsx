import { useEffect } from 'react';

import { initModelCatalog, runGpuCheck, useEngineStore } from '../../store/engine';
import { EndpointPanel } from './EndpointPanel';
import { GpuCheckPanel } from './GpuCheckPanel';
import { LoadPanel } from './LoadPanel';
import { ModelBuildPanel } from './ModelBuildPanel';
import { ModelSourcePicker } from './ModelSourcePicker';
import { PolicyReloadNotice } from './PolicyReloadNotice';
import { RunsOnChoice } from './RunsOnChoice';
import './model.css';
import { ViewSection } from '../common/ViewSection';

/** The Model view: where the model runs, GPU check, model source, download and load. `?view=model`. */
export function ModelView() {
  const runsOn = useEngineStore((state) => state.runsOn);
  useEffect(() => {
    void (async () => {
      await initModelCatalog();
      await runGpuCheck();
    })();
  }, []);
  return (
    <ViewSection
      title="Model"
      lede={
        <>
          DimMem-4B runs on this computer’s GPU through WebGPU. Its files are downloaded once and
          kept in this browser; nothing you import is ever sent anywhere — unless you choose a
          server below.
        </>
      }
    >
      <div className="model-panels">
        <RunsOnChoice />
        <PolicyReloadNotice />
        {runsOn === 'endpoint' ? (
          <EndpointPanel />
        ) : (
          <>
            <GpuCheckPanel />
            {/* Before the model list: without a build of its own, that list offers only the base model. */}
            <ModelBuildPanel />
            <ModelSourcePicker />
            <LoadPanel />
          </>
        )}
      </div>
    </ViewSection>
  );
}

export default ModelView;
