import { useViewStore } from '../../store/viewStore';

/**
 * The model's state in the header; a link to the Model view. Until the engine store is wired
 * (src/store/engineStore.ts), no model can be loaded in this tab and that is what it says.
 */
export function ModelStatus() {
  const setView = useViewStore((state) => state.setView);
  return (
    <a
      className="model-status"
      href="?view=model"
      aria-label="Model: not loaded. Open the Model view"
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        setView('model');
      }}
    >
      <span className="status-dot" aria-hidden="true" />
      Model not loaded
    </a>
  );
}
