import type { Dispatch } from 'react';

import { errorText } from '../../core/errorText';
import { appServices } from '../../store/boot/appServices';
import { useRunsDraftStore } from '../runs/runsDraftStore';
import type { DuplicateChoiceRow } from './DuplicateChoices';
import { useImportDraftStore } from './importDraftStore';
import type { ImportFlowAction, ImportFlowState, SavedOutcome } from './importFlow';
import { checkLargeSource, closeLargeSource, saveLargeSource } from './largeImportStore';
import type { ImportSources } from './useImportSources';

/** Empties the draft: the paste box, the files (large ones closed in the worker) and choices. */
export function clearDraft(sources: ImportSources, dispatch: Dispatch<ImportFlowAction>): void {
  for (const file of sources.largeFiles) closeLargeSource(file.key);
  dispatch({ type: 'draft-cleared' });
  useImportDraftStore.getState().clear();
}

/**
 * Save, or Continue after the duplicate question. First the check: when some conversations are
 * stored already, the user is asked (skip, replace or keep both for each) and nothing is written.
 * Then the page's conversations are saved, then each large file from the import worker; the draft
 * empties unless a large file's save was cancelled, and the saved conversations are chosen for a
 * run.
 */
export async function saveDraft(
  sources: ImportSources,
  flow: ImportFlowState,
  dispatch: Dispatch<ImportFlowAction>,
): Promise<void> {
  const imports = appServices().imports;
  dispatch({ type: 'save-started' });
  try {
    let pending = flow.asking;
    if (!pending) {
      const large: Record<string, DuplicateChoiceRow[]> = {};
      for (const file of sources.largeReady) large[file.key] = await checkLargeSource(file.key);
      pending = { small: await imports.check(sources.conversations), large };
      const stored =
        pending.small.some((candidate) => candidate.existing !== null) ||
        Object.values(pending.large).some((rows) => rows.length > 0);
      if (stored) {
        dispatch({ type: 'ask', pending });
        return;
      }
    }
    const outcome = await imports.save(
      pending.small,
      (candidate) => flow.duplicateChoices[candidate.conversation.id] ?? 'skip',
    );
    const result: SavedOutcome = {
      saved: [...outcome.saved],
      skipped: outcome.skipped.length,
      warnings: sources.previews.flatMap((preview) =>
        preview.ok ? preview.warnings.map((warning) => `${preview.name}: ${warning}`) : [],
      ),
      cancelled: [],
    };
    for (const file of sources.largeReady) {
      const state = sources.largeStates[file.key];
      const largeOutcome = await saveLargeSource(file.key, flow.duplicateChoices);
      if (largeOutcome === null) {
        result.cancelled.push(file.name);
        continue;
      }
      result.saved.push(...largeOutcome.saved);
      result.skipped += largeOutcome.skipped;
      if (state?.status === 'ready') {
        result.warnings.push(...state.summary.warnings.map((w) => `${file.name}: ${w}`));
      }
      closeLargeSource(file.key);
      useImportDraftStore.getState().removeFile(file.key);
    }
    dispatch({ type: 'saved', outcome: result });
    if (result.cancelled.length === 0) clearDraft(sources, dispatch);
    if (result.saved.length > 0) {
      useRunsDraftStore.getState().choose(result.saved.map((record) => record.id));
    }
  } catch (caught) {
    dispatch({ type: 'failed', error: errorText(caught) });
  }
}
