import { runGpuCheck, useEngineStore } from '../../store/engine';

const statusMarks = { ok: '✓', warn: '!', fail: '✕' } as const;
const statusWords = { ok: 'OK', warn: 'Warning', fail: 'Problem' } as const;

/** What the GPU check found, each problem with what to do about it. */
export function GpuCheckPanel() {
  const gpu = useEngineStore((state) => state.gpu);
  return (
    <section className="card model-panel" aria-labelledby="gpu-check-title">
      <div className="row">
        <h3 className="flush" id="gpu-check-title">
          GPU check
        </h3>
        <span className="spacer" />
        <button
          type="button"
          className="button small"
          disabled={gpu.state === 'checking'}
          onClick={() => void runGpuCheck()}
        >
          Check again
        </button>
      </div>
      {gpu.state !== 'checked' ? (
        <p className="muted">Checking this browser’s GPU…</p>
      ) : (
        <>
          <p data-testid="gpu-verdict">
            {gpu.assessment.canRun
              ? `This browser can run the model: the ${gpu.assessment.quantization} build will be used.`
              : 'This browser cannot run the model yet: see below.'}
          </p>
          <ul className="gpu-check-list">
            {gpu.assessment.items.map((item) => (
              <li
                key={item.id}
                data-check={item.id}
                data-status={item.status}
                className={
                  item.status === 'ok'
                    ? ''
                    : `notice ${item.status === 'fail' ? 'error' : 'warning'}`
                }
              >
                <span aria-label={statusWords[item.status]}>{statusMarks[item.status]}</span>{' '}
                <strong>{item.title}</strong>
                {item.explanation && <p className="flush mt-2">{item.explanation}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
