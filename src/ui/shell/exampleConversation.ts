import { useViewStore } from '../../store/view/viewStore';
import { useImportDraftStore } from '../import/importDraftStore';

export const exampleName = 'seed-conversation.txt';

/**
 * Puts the model card's example conversation into the import box and opens the Import view, so
 * the user sees exactly what will be imported before saving it.
 */
export async function loadExampleConversation(): Promise<void> {
  const response = await fetch(`${import.meta.env.BASE_URL}examples/${exampleName}`);
  if (!response.ok) throw new Error(`The example could not be loaded (${response.status}).`);
  useImportDraftStore.getState().setPasteText(await response.text(), exampleName);
  useViewStore.getState().setView('import');
}
