import { useEngineStore } from '../../store/engine/engineStore';
import { runGpuCheck } from '../../store/engine/engineStore';

const statusMarks = { ok: '✓', warn: '!', fail: '✕' } as const;
const statusWords = { ok: 'OK', warn: 'Warning', fail: 'Problem' } as const;

/** What the GPU check found, each problem with what to do about it. */
export function GpuCheckPanel() {
  const gpu = useEngineStore((state) => state.gpu);
  return (
    <section className="card" aria-labelledby="gpu-check-title" style={{ padding: 16 }}>
      <div className="row">
        <h3 id="gpu-check-title" style={{ margin: 0 }}>
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
          <ul className="gpu-check-list" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
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
                style={{ marginTop: 6 }}
              >
                <span aria-label={statusWords[item.status]}>{statusMarks[item.status]}</span>{' '}
                <strong>{item.title}</strong>
                {item.explanation && <p style={{ margin: '2px 0 0' }}>{item.explanation}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
