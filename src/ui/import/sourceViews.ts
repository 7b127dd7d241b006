import { summaryRowOf } from '../../core/import/summaryRow';
import type { DraftFile } from './importDraftStore';
import type { SourcePreview } from './importPreview';
import type { LargeSourceState } from './largeImportStore';
import type { SourceView } from './SourceBlock';

/** What the preview shows of a source the page read. */
export function viewOfPreview(preview: SourcePreview): SourceView {
  if (!preview.ok) {
    return { ...preview, state: 'error', error: preview.error, speakers: preview.speakers };
  }
  return {
    key: preview.key,
    name: preview.name,
    speakers: preview.speakers,
    state: 'ok',
    format: preview.format,
    rows: preview.conversations.map((summary) => summaryRowOf(summary.conversation)),
    warnings: preview.warnings,
    needsDate: preview.needsDate,
    dateOrder: preview.dateOrder,
  };
}

/** What the preview shows of a large file, from where the import worker is with it. */
export function viewOfLarge(file: DraftFile, state: LargeSourceState | undefined): SourceView {
  const base = { key: file.key, name: file.name, speakers: null };
  if (!state) return { ...base, state: 'reading', progress: null };
  switch (state.status) {
    case 'reading':
      return { ...base, state: 'reading', progress: state.progress };
    case 'failed':
      return { ...base, state: 'error', error: state.error };
    case 'cancelled':
      return { ...base, state: 'cancelled' };
    case 'ready':
    case 'saving':
      return {
        ...base,
        speakers: state.summary.speakers,
        state: 'ok',
        format: state.summary.format,
        rows: state.summary.rows,
        warnings: state.summary.warnings,
        needsDate: state.summary.needsDate,
        ...(state.status === 'saving' ? { saving: state.progress } : {}),
      };
  }
}
