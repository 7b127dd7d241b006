import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';

import type { LocalTime } from '../../core/time/localTime';
import { useImportDraftStore } from './importDraftStore';
import type { ImportSource, SourceChoices } from './importPreview';
import {
  importOptionsOf,
  inspectImportSource,
  previewSource,
  sourceOfDraftFile,
} from './importPreview';
import { previewLargeSource, useLargeImportStore } from './largeImportStore';
import type { SourceView } from './SourceBlock';
import { viewOfLarge, viewOfPreview } from './sourceViews';
import { useSettledText } from './useSettledText';

/**
 * Everything the Import view shows of its draft: the paste box (read once its text settles), the
 * small files the page previews and the large ones the import worker reads, with the user's
 * choices; how many conversations a save would store; and one view per source.
 */
export function useImportSources(choices: Record<string, SourceChoices>, now: LocalTime) {
  const { pasteText, pasteName, files, reading } = useImportDraftStore(
    useShallow((state) => ({
      pasteText: state.pasteText,
      pasteName: state.pasteName,
      files: state.files,
      reading: state.reading,
    })),
  );
  const settledPaste = useSettledText(pasteText);
  const pasteSource = useMemo<ImportSource | null>(
    () =>
      settledPaste.trim() === ''
        ? null
        : { key: 'paste', name: pasteName, text: settledPaste, bytes: null },
    [settledPaste, pasteName],
  );
  const pasteFormat = pasteSource ? inspectImportSource(pasteSource).format : null;

  const smallFiles = useMemo(() => files.filter((file) => !file.large), [files]);
  const largeFiles = useMemo(() => files.filter((file) => file.large), [files]);
  const largeStates = useLargeImportStore((state) => state.sources);

  const sources = useMemo<ImportSource[]>(() => {
    const list: ImportSource[] = [];
    if (pasteSource) list.push(pasteSource);
    for (const file of smallFiles) list.push(sourceOfDraftFile(file));
    return list;
  }, [pasteSource, smallFiles]);
  const previews = useMemo(
    () => sources.map((source) => previewSource(source, choices[source.key] ?? {}, now)),
    [sources, choices, now],
  );
  const conversations = previews.flatMap((preview) =>
    preview.ok ? preview.conversations.map((summary) => summary.conversation) : [],
  );

  // Large files are read by the import worker, again when their choices change.
  useEffect(() => {
    for (const file of largeFiles) {
      void previewLargeSource(
        file.key,
        file.large as File,
        importOptionsOf(choices[file.key] ?? {}, now),
      );
    }
  }, [largeFiles, choices, now]);
  const largeReady = largeFiles.filter((file) => largeStates[file.key]?.status === 'ready');
  const largeBusy = largeFiles.some((file) => {
    const status = largeStates[file.key]?.status;
    return status === undefined || status === 'reading' || status === 'saving';
  });
  const largeCount = largeReady.reduce((sum, file) => {
    const state = largeStates[file.key];
    return sum + (state?.status === 'ready' ? state.summary.rows.length : 0);
  }, 0);

  const views: SourceView[] = [
    ...previews.filter((preview) => preview.key === 'paste').map(viewOfPreview),
    ...files.map((file) =>
      file.large
        ? viewOfLarge(file, largeStates[file.key])
        : viewOfPreview(
            previews.find((preview) => preview.key === file.key) ??
              previewSource(sourceOfDraftFile(file), {}, now),
          ),
    ),
  ];

  return {
    pasteText,
    pasteName,
    /** The paste box's text as last read; differs from `pasteText` while typing goes on. */
    settledPaste,
    pasteFormat,
    files,
    reading,
    previews,
    conversations,
    largeFiles,
    largeReady,
    largeStates,
    largeBusy,
    total: conversations.length + largeCount,
    views,
  };
}

export type ImportSources = ReturnType<typeof useImportSources>;
