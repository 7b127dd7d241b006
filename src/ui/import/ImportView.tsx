import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import type { ImportOptions } from '../../core/import';
import { formatLabels } from '../../core/import';
import { summaryRowOf } from '../../core/import/summaryRow';
import type { LocalTime } from '../../core/time/localTime';
import { localTimeFromInstant, parseNaiveIso } from '../../core/time/localTime';
import type { ImportCandidate, ReimportChoice } from '../../store/import/importService';
import { appServices } from '../../store/boot/appServices';
import type { ConversationRecord } from '../../store/db/records';
import { useViewStore } from '../../store/view/viewStore';
import { errorText } from '../../core/errorText';
import { formatCount, plural } from '../common/format';
import { useRunsDraftStore } from '../runs/runsDraftStore';
import { exampleName, loadExampleConversation } from '../shell/exampleConversation';
import type { DuplicateChoiceRow } from './DuplicateChoices';
import { DuplicateChoices } from './DuplicateChoices';
import type { DraftFile } from './importDraftStore';
import { addFilesToDraft, useImportDraftStore } from './importDraftStore';
import type { ImportSource, SourceChoices, SourcePreview } from './importPreview';
import { inspectImportSource, previewSource, sourceOfDraftFile } from './importPreview';
import type { LargeSourceState } from './largeImportStore';
import {
  cancelLargeSource,
  checkLargeSource,
  closeLargeSource,
  previewLargeSource,
  saveLargeSource,
  useLargeImportStore,
} from './largeImportStore';
import { RestoreSection } from './RestoreSection';
import type { SourceView } from './SourceBlock';
import { SourceBlock } from './SourceBlock';
import { WarningsList } from './WarningsList';
import './import.css';

/** The importer's options for a source from the user's choices. */
function optionsOf(choices: SourceChoices, now: LocalTime): ImportOptions {
  const options: ImportOptions = { now };
  if (choices.speaker) options.speaker = choices.speaker;
  const date = choices.date ? parseNaiveIso(choices.date) : null;
  if (date !== null) options.fallbackDate = date;
  if (choices.dateOrder) options.dateOrder = choices.dateOrder;
  return options;
}

function viewOfPreview(preview: SourcePreview): SourceView {
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

function viewOfLarge(file: DraftFile, state: LargeSourceState | undefined): SourceView {
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

/** Duplicates found before saving: those of the page's sources and of each large file. */
interface PendingDuplicates {
  small: ImportCandidate[];
  large: Record<string, DuplicateChoiceRow[]>;
}

interface SavedOutcome {
  saved: ConversationRecord[];
  skipped: number;
  /** Warnings of the sources that were saved, each naming its file. */
  warnings: string[];
  /** Files whose save was cancelled: nothing of them was kept. */
  cancelled: string[];
}

/** Paste, pick or drop chats; see exactly what will be imported; then save. */
export default function ImportView() {
  const { pasteText, pasteName, files, reading } = useImportDraftStore(
    useShallow((state) => ({
      pasteText: state.pasteText,
      pasteName: state.pasteName,
      files: state.files,
      reading: state.reading,
    })),
  );
  const draft = useImportDraftStore.getState;
  const [choices, setChoices] = useState<Record<string, SourceChoices>>({});
  const [now] = useState(() => localTimeFromInstant(Date.now()));
  const [candidates, setCandidates] = useState<PendingDuplicates | null>(null);
  const [duplicateChoices, setDuplicateChoices] = useState<Record<string, ReimportChoice>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedOutcome | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const pasteId = useId();
  const exportHintId = useId();

  // The paste box is read once per pause in typing (a deferred value), not on every keystroke:
  // the format line and the preview share that one reading.
  const deferredPaste = useDeferredValue(pasteText);
  const pasteSource = useMemo<ImportSource | null>(
    () =>
      deferredPaste.trim() === ''
        ? null
        : { key: 'paste', name: pasteName, text: deferredPaste, bytes: null },
    [deferredPaste, pasteName],
  );
  const liveFormat = pasteSource ? inspectImportSource(pasteSource).format : null;

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
        optionsOf(choices[file.key] ?? {}, now),
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
  const total = conversations.length + largeCount;

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

  const resetOutcome = () => {
    setCandidates(null);
    setSaved(null);
    setError(null);
  };

  // Files dropped anywhere on the page join the draft without passing through this view: they
  // make the last outcome (a "Saved" line, or a duplicate question about the earlier files only)
  // stale, as picking them would.
  const [seenFiles, setSeenFiles] = useState(files);
  if (seenFiles !== files) {
    setSeenFiles(files);
    if (files.some((file) => !seenFiles.includes(file))) resetOutcome();
  }

  const clearDraft = () => {
    for (const file of largeFiles) closeLargeSource(file.key);
    setChoices({});
    draft().clear();
  };

  const save = async (confirmed: PendingDuplicates | null) => {
    setBusy(true);
    setError(null);
    try {
      let pending = confirmed;
      if (!pending) {
        const large: Record<string, DuplicateChoiceRow[]> = {};
        for (const file of largeReady) large[file.key] = await checkLargeSource(file.key);
        pending = { small: await appServices().imports.check(conversations), large };
        const stored =
          pending.small.some((candidate) => candidate.existing !== null) ||
          Object.values(pending.large).some((rows) => rows.length > 0);
        if (stored) {
          // Ask first: skip, replace or keep both for each one already stored.
          setCandidates(pending);
          return;
        }
      }
      const outcome = await appServices().imports.save(
        pending.small,
        (candidate) => duplicateChoices[candidate.conversation.id] ?? 'skip',
      );
      const result: SavedOutcome = {
        saved: [...outcome.saved],
        skipped: outcome.skipped.length,
        warnings: previews.flatMap((preview) =>
          preview.ok ? preview.warnings.map((warning) => `${preview.name}: ${warning}`) : [],
        ),
        cancelled: [],
      };
      for (const file of largeReady) {
        const state = largeStates[file.key];
        const largeOutcome = await saveLargeSource(file.key, duplicateChoices);
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
        draft().removeFile(file.key);
      }
      setSaved(result);
      setCandidates(null);
      if (result.cancelled.length === 0) clearDraft();
      if (result.saved.length > 0) {
        useRunsDraftStore.getState().choose(result.saved.map((record) => record.id));
      }
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const savedMessages = saved?.saved.reduce((sum, record) => sum + record.userMessageCount, 0) ?? 0;

  return (
    <section className="view" aria-labelledby="import-title">
      <h2 className="view-title" id="import-title">
        Import chats
      </h2>
      <p className="view-lede">
        Paste a chat or add exports from ChatGPT, Claude and others. You see what will be imported
        before anything is saved, and it never leaves this browser.
      </p>

      {saved && (
        <div className="notice success row" role="status" style={{ marginBottom: 16 }}>
          <span className="spacer">
            {saved.saved.length === 0 && saved.cancelled.length > 0 ? (
              `Import cancelled: nothing of ${saved.cancelled.join(', ')} was saved.`
            ) : (
              <>
                Saved {plural(saved.saved.length, 'conversation')} (
                {plural(savedMessages, 'user message')})
                {saved.skipped > 0 && `; skipped ${formatCount(saved.skipped)} already stored`}.
                {saved.cancelled.length > 0 &&
                  ` Cancelled: nothing of ${saved.cancelled.join(', ')} was saved.`}
              </>
            )}
          </span>
          {saved.saved.length > 0 && (
            <button
              type="button"
              className="button primary"
              onClick={() => useViewStore.getState().setView('runs')}
            >
              Extract memories →
            </button>
          )}
        </div>
      )}
      {saved && saved.warnings.length > 0 && (
        <div style={{ margin: '-8px 0 16px' }}>
          <WarningsList warnings={saved.warnings} label="while importing" />
        </div>
      )}

      <div className="import-grid">
        <div>
          <label className="field" htmlFor={pasteId}>
            Paste a chat
          </label>
          <textarea
            id={pasteId}
            className="textarea paste-box"
            value={pasteText}
            placeholder={'[2023-04-23T08:57:00, Sun] 1.User: …\nor a transcript, or exported JSON'}
            onChange={(event) => {
              resetOutcome();
              draft().setPasteText(event.target.value);
            }}
            aria-describedby={`${pasteId}-format`}
            spellCheck={false}
          />
          <div className="format-line" id={`${pasteId}-format`} aria-live="polite">
            {pasteText.trim() === '' ? (
              <span>The format is detected as you type.</span>
            ) : liveFormat ? (
              <>
                Detected format: <span className="pill accent">{formatLabels[liveFormat]}</span>
              </>
            ) : (
              <span className="pill warning">Format not recognised</span>
            )}
          </div>
        </div>
        <div className="file-picker">
          <strong>Files</strong>
          <span>Drop exports anywhere on the page, or</span>
          <button
            type="button"
            className="button"
            aria-describedby={exportHintId}
            onClick={() => fileInput.current?.click()}
          >
            Choose files…
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            accept=".zip,.json,.jsonl,.txt,.md,.csv,application/zip,application/json,text/plain"
            className="visually-hidden"
            aria-label="Choose chat files to import"
            aria-describedby={exportHintId}
            tabIndex={-1}
            onChange={(event) => {
              resetOutcome();
              const picked = event.target.files;
              if (picked) void addFilesToDraft(picked);
              event.target.value = '';
            }}
          />
          <p className="export-hint" id={exportHintId}>
            <span>
              <strong>ChatGPT:</strong> Settings → <span className="nowrap">Data controls</span> →{' '}
              <span className="nowrap">Export data</span>.
            </span>
            <span>
              <strong>Claude:</strong> Settings → Privacy →{' '}
              <span className="nowrap">Export data</span>.
            </span>
            <span>
              Drop the <code>.zip</code> you receive by email (or its{' '}
              <code>conversations.json</code>).
            </span>
          </p>
          <span className="muted" style={{ fontSize: 12 }}>
            Also LoCoMo, LongMemEval, ShareGPT, OpenAI messages and transcripts
          </span>
          <span role="status" className="reading-files">
            {reading.length > 0 && `Reading ${reading.join(', ')}…`}
          </span>
          <button
            type="button"
            className="button ghost small"
            onClick={() => {
              resetOutcome();
              loadExampleConversation().catch((caught: unknown) => setError(errorText(caught)));
            }}
          >
            Try the example conversation
          </button>
        </div>
      </div>

      {views.length > 0 && (
        <>
          <h3 className="section-title">What will be imported</h3>
          {views.map((view) => (
            <SourceBlock
              key={view.key}
              view={view}
              choices={choices[view.key] ?? {}}
              onChoices={(next) => {
                resetOutcome();
                setChoices((current) => ({ ...current, [view.key]: next }));
              }}
              onRemove={() => {
                resetOutcome();
                if (view.key === 'paste') draft().setPasteText('');
                else {
                  closeLargeSource(view.key);
                  draft().removeFile(view.key);
                }
              }}
              onCancel={() => cancelLargeSource(view.key)}
            />
          ))}
          {candidates && (
            <DuplicateChoices
              duplicates={[
                ...candidates.small
                  .filter((candidate) => candidate.existing !== null && candidate.match)
                  .map((candidate) => ({
                    id: candidate.conversation.id,
                    title: candidate.conversation.title,
                    match: candidate.match!,
                  })),
                ...Object.values(candidates.large).flat(),
              ]}
              choices={duplicateChoices}
              onChoice={(id, choice) =>
                setDuplicateChoices((current) => ({ ...current, [id]: choice }))
              }
            />
          )}
          {error && (
            <p role="alert" className="notice error">
              {error}
            </p>
          )}
          <div className="row" style={{ marginTop: 12 }}>
            <button
              type="button"
              className="button primary"
              disabled={busy || largeBusy || total === 0}
              onClick={() => void save(candidates)}
            >
              {busy ? 'Saving…' : candidates ? 'Continue' : `Save ${plural(total, 'conversation')}`}
            </button>
            <button
              type="button"
              className="button ghost"
              disabled={busy}
              onClick={() => {
                resetOutcome();
                clearDraft();
              }}
            >
              Clear
            </button>
            {pasteName === exampleName && (
              <span className="muted">The model card&apos;s example: 14 messages from a user.</span>
            )}
          </div>
        </>
      )}
      <RestoreSection />
    </section>
  );
}
