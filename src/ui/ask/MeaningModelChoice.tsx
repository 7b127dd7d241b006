import { appServices } from '../../store/boot/appServices';
import { useEmbeddingsStore } from '../../store/embeddings';

/**
 * The user's say over the meaning model's download (about 23 MB from Hugging Face, once): stop it
 * or never start it, and take it back later. Words and structure rank either way.
 */
export function MeaningModelChoice() {
  const state = useEmbeddingsStore((store) => store.status.state);
  if (state === 'declined') {
    return (
      <button
        type="button"
        className="button ghost small"
        onClick={() => void appServices().embeddings.allow()}
      >
        Download the meaning model
      </button>
    );
  }
  if (state === 'ready') return null;
  return (
    <button
      type="button"
      className="button ghost small"
      onClick={() => appServices().embeddings.decline()}
    >
      {state === 'loading' ? 'Stop the download' : 'Never download the meaning model'}
    </button>
  );
}
