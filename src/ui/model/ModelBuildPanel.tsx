import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { formatBytes, reloadPage, useEngineStore } from '../../store/engine';
import {
  buildKeptBytes,
  buildMemoryBytes,
  cancelBuild,
  checkpointDownloadBytes,
  clearBuildFailure,
  forgetDevCheckpointHost,
  initModelBuild,
  pauseBuild,
  resumeBuild,
  startBuild,
  useModelBuildStore,
} from '../../store/modelBuild';
import { BuiltModels } from './BuiltModels';
import { buildFraction, buildProgressLine, buildStepLabels, downloadEstimate } from './buildText';
import { ProgressBar } from '../common/ProgressBar';
import { FailureNotice } from '../common/FailureNotice';

const checkpointRepo = 'wtqiu/DimMem-4B-Longmemeval';

/**
 * "Build DimMem-4B from the official checkpoint": downloads the published bf16 checkpoint with
 * range requests, converts it here (quantizing in workers) and stores the MLC build in this
 * browser, to run on WebLLM's prebuilt Qwen3-4B library.
 */
export function ModelBuildPanel() {
  const { build, running, progress, failure, devHost, freeBytes } = useModelBuildStore(
    useShallow((state) => ({
      build: state.build,
      running: state.running,
      progress: state.progress,
      failure: state.failure,
      devHost: state.devHost,
      freeBytes: state.freeBytes,
    })),
  );
  const { quantization, catalogReady, policyMissing } = useEngineStore(
    useShallow((state) => ({
      quantization:
        (state.gpu.state === 'checked' ? state.gpu.assessment.quantization : null) ?? 'q4f16_1',
      catalogReady: state.catalog.length > 0,
      policyMissing: state.policy.missing.length > 0,
    })),
  );
  useEffect(() => {
    void initModelBuild();
  }, []);

  const stateFailure = build?.phase === 'failed' ? build.failure : null;
  const shownFailure = stateFailure ?? failure;
  const shardsDone = build ? Object.keys(build.shards).length : 0;
  const fraction = progress ? buildFraction(progress) : null;
  const lowStorage = freeBytes !== null && freeBytes < buildKeptBytes;

  return (
    <section className="card model-panel" aria-labelledby="model-build-title">
      <h3 className="flush-top" id="model-build-title">
        Build DimMem-4B from the official checkpoint
      </h3>
      {devHost && (
        <div className="notice warning" role="note" data-testid="dev-checkpoint-host">
          <p className="flush">
            Developer setting: builds read a stand-in checkpoint from <code>{devHost.hub}</code>,
            not from Hugging Face. What they produce is a developer test build.
          </p>
          <button
            type="button"
            className="button small"
            disabled={running}
            onClick={() => {
              forgetDevCheckpointHost();
              reloadPage();
            }}
          >
            Use Hugging Face again
          </button>
        </div>
      )}
      <p className="flush-top">
        Downloads the checkpoint the authors publish (
        <code>{devHost ? `${devHost.hub}/${checkpointRepo}` : checkpointRepo}</code>, bf16) and
        converts it here to the {build?.quantization ?? quantization} build, which runs on WebLLM’s
        prebuilt Qwen3-4B library. No Python, no other weights.
      </p>
      <ul className="muted flush-top" data-testid="build-needs">
        <li>
          Download: about {formatBytes(checkpointDownloadBytes)} (
          {downloadEstimate(checkpointDownloadBytes)}; the conversion keeps up on four cores).
        </li>
        <li>
          Kept: about {formatBytes(buildKeptBytes)} in this browser. Temporary space: none on disk
          (each finished part is stored as it is), up to about {formatBytes(buildMemoryBytes)} of
          memory while it runs.
        </li>
        <li>
          Free storage for this site:{' '}
          {freeBytes === null ? 'unknown' : formatBytes(Math.max(0, freeBytes))}
          {lowStorage ? ' — not enough: free disk space first.' : '.'}
        </li>
      </ul>

      {running && progress && (
        <div
          role="status"
          aria-live="polite"
          data-testid="build-progress"
          data-step={progress.step}
        >
          <p className="flush">
            <strong>{buildStepLabels[progress.step]}</strong>
          </p>
          <ProgressBar value={fraction} label="Build progress" />
          <p className="muted flush" data-testid="build-progress-line">
            {buildProgressLine(progress)}
          </p>
        </div>
      )}
      {running && !progress && (
        <p role="status" data-testid="build-progress" data-step="starting">
          Starting…
        </p>
      )}

      {!running && build && build.phase !== 'done' && (
        <p role="status" data-testid="build-stored" data-phase={build.phase}>
          {build.phase === 'failed' ? 'Build stopped' : 'Build paused'} after {shardsDone} of{' '}
          {build.shardCount ?? '…'} parts ({build.quantization}, revision{' '}
          <code>{build.revision.slice(0, 12)}</code>). Resuming reads the same revision and skips
          the finished parts.
        </p>
      )}

      {shownFailure && !running && (
        <FailureNotice
          failure={shownFailure}
          testId="build-error"
          detailsOpen={shownFailure.code === 'checkpoint-refused'}
        >
          {!stateFailure && (
            <button type="button" className="button small" onClick={clearBuildFailure}>
              Dismiss
            </button>
          )}
        </FailureNotice>
      )}

      <div className="row mt-8">
        {running ? (
          <>
            <button type="button" className="button" onClick={pauseBuild}>
              Pause
            </button>
            <button type="button" className="button danger" onClick={() => void cancelBuild()}>
              Cancel and delete
            </button>
          </>
        ) : build && build.phase !== 'done' ? (
          <>
            <button
              type="button"
              className="button primary"
              disabled={!catalogReady || policyMissing}
              onClick={() => void resumeBuild()}
            >
              Resume build
            </button>
            <button type="button" className="button danger" onClick={() => void cancelBuild()}>
              Discard build
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={!catalogReady || policyMissing || lowStorage}
            onClick={() => void startBuild()}
          >
            Build DimMem-4B {quantization}
          </button>
        )}
      </div>
      <BuiltModels />
    </section>
  );
}
