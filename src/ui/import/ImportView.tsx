import { useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { BOTH_SPEAKERS, formatLabels, importSizeError } from '../../core/import';
import { localTimeFromInstant } from '../../core/time/localTime';
import type { ImportCandidate, ReimportChoice } from '../../store/importService';
import { importMemoriesFile } from '../../store/exportService';
import { checkImport, saveImport } from '../../store/importService';
import type { ConversationRecord } from '../../store/records';
import { useViewStore } from '../../store/viewStore';
import { errorText, formatCount, formatDateRange, plural } from '../format';
import { useRunsDraftStore } from '../runs/runsDraftStore';
import { exampleName, loadExampleConversation } from '../shell/exampleConversation';
import { addFilesToDraft, useImportDraftStore } from './importDraftStore';
import type { ImportSource, SourceChoices, SourcePreview } from './importPreview';
import { detectedFormat, previewSource, sourceOfDraftFile } from './importPreview';

function SourceBlock({
  preview,
  choices,
  onChoices,
  onRemove,
}: {
  preview: SourcePreview;
  choices: SourceChoices;
  onChoices: (choices: SourceChoices) => void;
  onRemove: () => void;
}) {
  const id = useId();
  return (
    <section className="card source-block" aria-label={`Preview of ${preview.name}`}>
      <div className="source-head">
        <span className="source-name">{preview.name}</span>
        {preview.ok && <span className="pill accent">{formatLabels[preview.format]}</span>}
        {preview.ok && (
          <span className="muted">{plural(preview.conversations.length, 'conversation')}</span>
        )}
        <span className="spacer" />
        <button type="button" className="button ghost small" onClick={onRemove}>
          Remove
        </button>
      </div>
      {(preview.speakers || (preview.ok && preview.needsDate)) && (
        <div className="source-options">
          {preview.speakers && (
            <label className="field" htmlFor={`${id}-speaker`}>
              Whose memories (the user)
              <select
                id={`${id}-speaker`}
                className="select"
                value={choices.speaker ?? ''}
                onChange={(event) => onChoices({ ...choices, speaker: event.target.value })}
              >
                <option value="">{preview.speakers[0]} (first speaker)</option>
                {preview.speakers.slice(1).map((speaker) => (
                  <option key={speaker} value={speaker}>
                    {speaker}
                  </option>
                ))}
                <option value={BOTH_SPEAKERS}>Both (one conversation each)</option>
              </select>
            </label>
          )}
          {preview.ok && preview.needsDate && (
            <label className="field" htmlFor={`${id}-date`}>
              Date of this chat (it has no dates)
              <input
                id={`${id}-date`}
                className="input"
                type="date"
                value={choices.date ?? ''}
                onChange={(event) => onChoices({ ...choices, date: event.target.value })}
              />
              {!choices.date && <span>Without one, today&apos;s date is used.</span>}
            </label>
          )}
        </div>
      )}
      {!preview.ok ? (
        <p role="alert" className="notice error" style={{ margin: 12 }}>
          {preview.error}
        </p>
      ) : (
        <>
          {preview.warnings.length > 0 && (
            <ul className="notice warning" style={{ margin: 12, paddingLeft: 28 }}>
              {preview.warnings.slice(0, 8).map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
              {preview.warnings.length > 8 && (
                <li>and {formatCount(preview.warnings.length - 8)} more</li>
              )}
            </ul>
          )}
          <table className="preview-table">
            <thead>
              <tr>
                <th scope="col">Conversation</th>
                <th scope="col" className="numeric">
                  Messages
                </th>
                <th scope="col" className="numeric">
                  From the user
                </th>
                <th scope="col">Dates</th>
              </tr>
            </thead>
            <tbody>
              {preview.conversations.slice(0, 200).map((summary) => (
                <tr key={summary.conversation.id}>
                  <td>{summary.conversation.title}</td>
                  <td className="numeric">{formatCount(summary.messageCount)}</td>
                  <td className="numeric">{formatCount(summary.userMessageCount)}</td>
                  <td>
                    {formatDateRange(summary.first, summary.last)}
                    {summary.conversation.assumedTimestamps && (
                      <span className="pill warning" style={{ marginLeft: 6 }}>
                        assumed date
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.conversations.length > 200 && (
            <p className="muted" style={{ margin: 12 }}>
              and {formatCount(preview.conversations.length - 200)} more conversations
            </p>
          )}
        </>
      )}
    </section>
  );
}

function DuplicateChoices({
  candidates,
  choices,
  onChoice,
}: {
  candidates: ImportCandidate[];
  choices: Record<string, ReimportChoice>;
  onChoice: (id: string, choice: ReimportChoice) => void;
}) {
  const duplicates = candidates.filter((candidate) => candidate.existing !== null);
  return (
    <div className="notice warning" role="group" aria-labelledby="duplicates-title">
      <p className="notice-title" id="duplicates-title">
        {plural(duplicates.length, 'conversation is', 'conversations are')} already stored
      </p>
      {duplicates.map((candidate) => (
        <fieldset
          key={candidate.conversation.id}
          style={{ border: 0, padding: '6px 0', margin: 0 }}
        >
          <legend style={{ fontWeight: 500 }}>
            {candidate.conversation.title}{' '}
            <span className="muted">
              ({candidate.match === 'same-content' ? 'same messages' : 'same chat, changed since'})
            </span>
          </legend>
          <div className="row">
            {(['skip', 'replace', 'keep-both'] as const).map((choice) => (
              <label key={choice} className="checkbox">
                <input
                  type="radio"
                  name={`dup-${candidate.conversation.id}`}
                  checked={(choices[candidate.conversation.id] ?? 'skip') === choice}
                  onChange={() => onChoice(candidate.conversation.id, choice)}
                />
                {choice === 'skip' ? 'Skip' : choice === 'replace' ? 'Replace' : 'Keep both'}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
    </div>
  );
}

/** Brings back memories exported from DimMem (a JSON backup or a JSONL file). */
function RestoreSection() {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const restore = (file: File) => {
    // Refused from its size alone: reading a huge file into a string could take the tab down.
    const tooLarge = importSizeError(file.name, file.size);
    if (tooLarge) {
      setMessage({ ok: false, text: tooLarge.message });
      return;
    }
    setBusy(true);
    setMessage(null);
    file
      .text()
      .then((text) => importMemoriesFile(text))
      .then((outcome) => {
        const skipped =
          outcome.errors.length > 0
            ? `; ${plural(outcome.errors.length, 'line')} could not be read`
            : '';
        setMessage({
          ok: true,
          text: `Restored ${plural(outcome.memories, 'memory', 'memories')}${
            outcome.kind === 'backup'
              ? `, ${plural(outcome.conversations, 'conversation')} and ${plural(outcome.runs, 'run')}`
              : ''
          } from ${file.name}${skipped}.`,
        });
      })
      .catch((error: unknown) =>
        setMessage({ ok: false, text: `${file.name}: ${errorText(error)}` }),
      )
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="restore-title" style={{ marginTop: 28 }}>
      <h3 className="section-title" id="restore-title">
        Restore memories
      </h3>
      <p className="muted" style={{ margin: '0 0 8px' }}>
        A DimMem JSON backup or a JSONL file of memories (from this app or its command line).
        Memories already stored are replaced, never doubled.
      </p>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => input.current?.click()}
      >
        {busy ? 'Restoring…' : 'Choose a backup…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,.jsonl,application/json"
        className="visually-hidden"
        aria-label="Choose a DimMem backup or memories file"
        tabIndex={-1}
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) restore(file);
          event.target.value = '';
        }}
      />
      {message && (
        <p
          role={message.ok ? 'status' : 'alert'}
          className={`notice ${message.ok ? 'success' : 'error'}`}
          style={{ marginTop: 8 }}
        >
          {message.text}
        </p>
      )}
    </section>
  );
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
  const [candidates, setCandidates] = useState<ImportCandidate[] | null>(null);
  const [duplicateChoices, setDuplicateChoices] = useState<Record<string, ReimportChoice>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ saved: ConversationRecord[]; skipped: number } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const pasteId = useId();
  const exportHintId = useId();

  const deferredPaste = useDeferredValue(pasteText);
  const liveFormat = useMemo(() => detectedFormat(pasteText), [pasteText]);

  const sources = useMemo<ImportSource[]>(() => {
    const list: ImportSource[] = [];
    if (deferredPaste.trim() !== '') {
      list.push({ key: 'paste', name: pasteName, text: deferredPaste, bytes: null });
    }
    for (const file of files) list.push(sourceOfDraftFile(file));
    return list;
  }, [deferredPaste, pasteName, files]);

  const previews = useMemo(
    () => sources.map((source) => previewSource(source, choices[source.key] ?? {}, now)),
    [sources, choices, now],
  );
  const conversations = previews.flatMap((preview) =>
    preview.ok ? preview.conversations.map((summary) => summary.conversation) : [],
  );

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

  const save = async (confirmed: ImportCandidate[] | null) => {
    setBusy(true);
    setError(null);
    try {
      const checked = confirmed ?? (await checkImport(conversations));
      if (!confirmed && checked.some((candidate) => candidate.existing !== null)) {
        // Ask first: skip, replace or keep both for each one already stored.
        setCandidates(checked);
        return;
      }
      const outcome = await saveImport(
        checked,
        (candidate) => duplicateChoices[candidate.conversation.id] ?? 'skip',
      );
      setSaved({ saved: outcome.saved, skipped: outcome.skipped.length });
      setCandidates(null);
      setChoices({});
      draft().clear();
      if (outcome.saved.length > 0) {
        useRunsDraftStore.getState().choose(outcome.saved.map((record) => record.id));
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
            Saved {plural(saved.saved.length, 'conversation')} (
            {plural(savedMessages, 'user message')})
            {saved.skipped > 0 && `; skipped ${formatCount(saved.skipped)} already stored`}.
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

      {previews.length > 0 && (
        <>
          <h3 className="section-title">What will be imported</h3>
          {previews.map((preview) => (
            <SourceBlock
              key={preview.key}
              preview={preview}
              choices={choices[preview.key] ?? {}}
              onChoices={(next) => {
                resetOutcome();
                setChoices((current) => ({ ...current, [preview.key]: next }));
              }}
              onRemove={() => {
                resetOutcome();
                if (preview.key === 'paste') draft().setPasteText('');
                else draft().removeFile(preview.key);
              }}
            />
          ))}
          {candidates && (
            <DuplicateChoices
              candidates={candidates}
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
              disabled={busy || conversations.length === 0}
              onClick={() => void save(candidates)}
            >
              {busy
                ? 'Saving…'
                : candidates
                  ? 'Continue'
                  : `Save ${plural(conversations.length, 'conversation')}`}
            </button>
            <button
              type="button"
              className="button ghost"
              onClick={() => {
                resetOutcome();
                setChoices({});
                draft().clear();
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
