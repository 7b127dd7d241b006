import { useShallow } from 'zustand/react/shallow';

import { useEngineStore } from '../../store/engine';
import { useViewStore } from '../../store/view/viewStore';
import './modelStatus.css';

interface StatusText {
  dot: 'idle' | 'busy' | 'ready' | 'error' | 'remote';
  text: string;
}

function describe(
  load: ReturnType<typeof useEngineStore.getState>['load'],
  decode: number | null,
): StatusText {
  switch (load.state) {
    case 'idle':
      return { dot: 'idle', text: 'Model not loaded' };
    case 'loading': {
      const { fraction } = load.progress;
      const percent = fraction === null ? '' : ` ${Math.round(fraction * 100)}%`;
      const phase = load.progress.phase === 'download' ? 'Downloading' : 'Loading';
      return { dot: 'busy', text: `${phase}${percent}` };
    }
    case 'ready': {
      const name = load.kind === 'replay' ? 'Recorded answers (demo)' : load.modelId;
      if (load.setAside) return { dot: 'idle', text: `${name} set aside for answering` };
      const speed = decode === null ? '' : ` · ${decode.toFixed(1)} tok/s`;
      // Chats leave the browser: the header says so for as long as the endpoint is connected.
      if (load.sendsTo) {
        return { dot: 'remote', text: `${name} ready${speed} · sends chats to ${load.sendsTo}` };
      }
      return { dot: 'ready', text: `${name} ready${speed}` };
    }
    case 'error':
      return { dot: 'error', text: 'Model failed to load' };
  }
}

/** The model's state in the header (not loaded / downloading n% / ready, tok/s); opens the Model view. */
export function ModelStatus() {
  const { load, decode } = useEngineStore(
    useShallow((state) => ({ load: state.load, decode: state.lastSpeed?.decode ?? null })),
  );
  const setView = useViewStore((state) => state.setView);
  const status = describe(load, decode);
  return (
    <a
      className={
        status.dot === 'remote' ? 'outlined-pill model-status remote' : 'outlined-pill model-status'
      }
      href="?view=model"
      aria-label={`Model: ${status.text}. Open the Model view`}
      title={status.text}
      data-testid="model-status"
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        setView('model');
      }}
    >
      <span className={`status-dot ${status.dot}`} aria-hidden="true" />
      <span aria-live="polite">{status.text}</span>
    </a>
  );
}
