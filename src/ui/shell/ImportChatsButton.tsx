import { useViewStore } from '../../store/view/viewStore';

/** The empty views' way to the Import view. */
export function ImportChatsButton() {
  return (
    <button
      type="button"
      className="button"
      onClick={() => useViewStore.getState().setView('import')}
    >
      Import chats
    </button>
  );
}
