import { useShallow } from 'zustand/react/shallow';

import {
  cancelLoad,
  loadSelectedModel,
  repairModel,
  replayAvailableByDefault,
  startReplayDemo,
  unloadModel,
  useEngineStore,
} from '../../store/engine';
import { phaseLabels, progressLine } from './loadText';
import { ProgressBar } from '../common/ProgressBar';
import { FailureNotice } from '../common/FailureNotice';

/** Codes where removing this model's files and downloading again is the fix. */
const repairable = new Set(['model-files-incomplete', 'model-library-invalid', 'integrity']);

/** Load, watch the phases, cancel, and recover from failures. */
export function LoadPanel() {
  const { load, selected, canRun, failedFromFolder, failedFromBuild } = useEngineStore(
    useShallow((state) => {
      const failedId = state.load.state === 'error' ? state.load.modelId : null;
      return {
        load: state.load,
        selected: state.catalog.find((entry) => entry.id === state.selectedId) ?? null,
        canRun: state.gpu.state !== 'checked' || state.gpu.assessment.canRun,
        // A folder's files cannot be downloaded again: the way to repair it is to pick it again.
        failedFromFolder: state.catalog.some(
          (entry) => entry.id === failedId && entry.sourceKind === 'local-folder',
        ),
        // A build made here has nowhere to download from: it is built again instead.
        failedFromBuild: state.catalog.some(
          (entry) => entry.id === failedId && entry.sourceKind === 'browser-build',
        ),
      };
    }),
  );
  return (
    <section className="card model-panel" aria-labelledby="load-title">
      <h3 className="flush-top" id="load-title">
        Load
      </h3>
      {load.state === 'loading' ? (
        <div
          role="status"
          aria-live="polite"
          data-testid="load-progress"
          data-phase={load.progress.phase}
        >
          <p className="flush">
            <strong>{phaseLabels[load.progress.phase]}</strong> {load.modelId}
          </p>
          <ProgressBar value={load.progress.fraction} label={phaseLabels[load.progress.phase]} />
          <p className="muted flush" data-testid="load-progress-line">
            {progressLine(load.progress)}
          </p>
          <p className="muted flush">{load.progress.text}</p>
          <button type="button" className="button mt-8" onClick={cancelLoad}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="row">
          <button
            type="button"
            className="button primary"
            disabled={!selected || !canRun}
            onClick={() => void loadSelectedModel()}
          >
            {load.state === 'error' ? 'Retry' : `Load ${selected?.label ?? 'model'}`}
          </button>
          {load.state === 'ready' && (
            <button type="button" className="button" onClick={() => void unloadModel()}>
              Unload
            </button>
          )}
        </div>
      )}
      {load.state === 'ready' && (
        <p className="notice success" role="status" data-testid="load-ready">
          {load.kind === 'replay'
            ? 'Demo ready: runs replay answers recorded from DimMem-4B for the example conversation. Memories are labelled “recorded”.'
            : load.sendsTo
              ? `${load.modelId} at ${load.sendsTo} is connected: runs send your chats there.`
              : load.setAside
                ? `${load.modelId} is set aside while a model in this browser answers questions; it loads again from this browser's cache before the next run.`
                : `${load.modelId} is ready on the GPU.`}
        </p>
      )}
      {load.state === 'error' && (
        <FailureNotice failure={load.failure} testId="load-error">
          {repairable.has(load.failure.code) && failedFromFolder && (
            <p className="muted">Pick the model folder again to replace the incomplete copy.</p>
          )}
          {repairable.has(load.failure.code) && failedFromBuild && (
            <p className="muted">Delete this build and build it again.</p>
          )}
          {repairable.has(load.failure.code) && !failedFromFolder && !failedFromBuild && (
            <button
              type="button"
              className="button small"
              onClick={() => void repairModel(load.modelId)}
            >
              Repair: download this model again
            </button>
          )}
        </FailureNotice>
      )}
      <div className="field mt-12">
        <p className="muted flush">
          {replayAvailableByDefault
            ? 'Development build: the recorded-answers demo is available.'
            : 'No GPU? Try the app with answers recorded from DimMem-4B (example conversation only).'}
        </p>
        <button
          type="button"
          className="button"
          disabled={load.state === 'loading'}
          onClick={() => void startReplayDemo()}
        >
          Demo with recorded answers
        </button>
      </div>
    </section>
  );
}
