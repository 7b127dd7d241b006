import { useReducer, useState } from 'react';

import { errorText } from '../../core/errorText';
import { localTimeFromInstant } from '../../core/time/localTime';
import { plural } from '../common/format';
import { exampleName, loadExampleConversation } from '../shell/exampleConversation';
import { DuplicateChoices } from './DuplicateChoices';
import { FilePicker } from './FilePicker';
import { useImportDraftStore } from './importDraftStore';
import { duplicateRows, importFlowReducer, initialImportFlow } from './importFlow';
import { cancelLargeSource, closeLargeSource } from './largeImportStore';
import { PasteBox } from './PasteBox';
import { RestoreSection } from './RestoreSection';
import { SavedNotice } from './SavedNotice';
import { clearDraft, saveDraft } from './saveDraft';
import { SourceBlock } from './SourceBlock';
import { useImportSources } from './useImportSources';
import './import.css';
import { ViewSection } from '../common/ViewSection';

/** Paste, pick or drop chats; see exactly what will be imported; then save. */
export default function ImportView() {
  const [flow, dispatch] = useReducer(importFlowReducer, initialImportFlow);
  const [now] = useState(() => localTimeFromInstant(Date.now()));
  const sources = useImportSources(flow.choices, now);
  const draft = useImportDraftStore.getState;
  const edited = () => dispatch({ type: 'edited' });

  // Files dropped anywhere on the page join the draft without passing through this view: they
  // make the last outcome (a "Saved" line, or a duplicate question about the earlier files only)
  // stale, as picking them would.
  const [seenFiles, setSeenFiles] = useState(sources.files);
  if (seenFiles !== sources.files) {
    setSeenFiles(sources.files);
    if (sources.files.some((file) => !seenFiles.includes(file))) edited();
  }
  // Typing goes on: Save waits for the text the preview shows.
  const settling = sources.pasteText !== sources.settledPaste;

  return (
    <ViewSection
      title="Import chats"
      lede={
        <>
          Paste a chat or add exports from ChatGPT, Claude and others. You see what will be imported
          before anything is saved, and it never leaves this browser.
        </>
      }
    >
      {flow.saved && <SavedNotice saved={flow.saved} />}

      <div className="import-grid">
        <PasteBox
          text={sources.pasteText}
          settled={sources.settledPaste}
          format={sources.pasteFormat}
          onChange={(text) => {
            edited();
            draft().setPasteText(text);
          }}
        />
        <FilePicker
          reading={sources.reading}
          onEdit={edited}
          onExample={() => {
            edited();
            loadExampleConversation().catch((caught: unknown) =>
              dispatch({ type: 'failed', error: errorText(caught) }),
            );
          }}
        />
      </div>

      {sources.views.length > 0 && (
        <>
          <h3 className="section-title">What will be imported</h3>
          {sources.views.map((view) => (
            <SourceBlock
              key={view.key}
              view={view}
              choices={flow.choices[view.key] ?? {}}
              onChoices={(choices) => dispatch({ type: 'choices', key: view.key, choices })}
              onRemove={() => {
                edited();
                if (view.key === 'paste') draft().setPasteText('');
                else {
                  closeLargeSource(view.key);
                  draft().removeFile(view.key);
                }
              }}
              onCancel={() => cancelLargeSource(view.key)}
            />
          ))}
          {flow.asking && (
            <DuplicateChoices
              duplicates={duplicateRows(flow.asking)}
              choices={flow.duplicateChoices}
              onChoice={(id, choice) => dispatch({ type: 'duplicate-choice', id, choice })}
            />
          )}
          {flow.error && (
            <p role="alert" className="notice error">
              {flow.error}
            </p>
          )}
          <div className="row import-actions">
            <button
              type="button"
              className="button primary"
              disabled={flow.busy || settling || sources.largeBusy || sources.total === 0}
              onClick={() => void saveDraft(sources, flow, dispatch)}
            >
              {flow.busy
                ? 'Saving…'
                : flow.asking
                  ? 'Continue'
                  : `Save ${plural(sources.total, 'conversation')}`}
            </button>
            <button
              type="button"
              className="button ghost"
              disabled={flow.busy}
              onClick={() => {
                edited();
                clearDraft(sources, dispatch);
              }}
            >
              Clear
            </button>
            {sources.pasteName === exampleName && (
              <span className="muted">The model card&apos;s example: 14 messages from a user.</span>
            )}
          </div>
        </>
      )}
      <RestoreSection />
    </ViewSection>
  );
}
