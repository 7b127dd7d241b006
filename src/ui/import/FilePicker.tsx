import { useId, useRef } from 'react';

import { addFilesToDraft } from './importDraftStore';

/** Picking files (drops land anywhere on the page), where to get exports, and the example. */
export function FilePicker({
  reading,
  onEdit,
  onExample,
}: {
  /** Names of files being read. */
  reading: string[];
  /** Called before the draft changes: the last outcome is stale. */
  onEdit: () => void;
  onExample: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  return (
    <div className="file-picker">
      <strong>Files</strong>
      <span>Drop exports anywhere on the page, or</span>
      <button
        type="button"
        className="button"
        aria-describedby={hintId}
        onClick={() => input.current?.click()}
      >
        Choose files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept=".zip,.json,.jsonl,.txt,.md,.csv,application/zip,application/json,text/plain"
        className="visually-hidden"
        aria-label="Choose chat files to import"
        aria-describedby={hintId}
        tabIndex={-1}
        onChange={(event) => {
          onEdit();
          const picked = event.target.files;
          if (picked) void addFilesToDraft(picked);
          event.target.value = '';
        }}
      />
      <p className="export-hint" id={hintId}>
        <span>
          <strong>ChatGPT:</strong> Settings → <span className="nowrap">Data controls</span> →{' '}
          <span className="nowrap">Export data</span>.
        </span>
        <span>
          <strong>Claude:</strong> Settings → Privacy → <span className="nowrap">Export data</span>.
        </span>
        <span>
          Drop the <code>.zip</code> you receive by email (or its <code>conversations.json</code>).
        </span>
      </p>
      <span className="muted import-also">
        Also LoCoMo, LongMemEval, ShareGPT, OpenAI messages and transcripts
      </span>
      <span role="status" className="reading-files">
        {reading.length > 0 && `Reading ${reading.join(', ')}…`}
      </span>
      <button type="button" className="button ghost small" onClick={onExample}>
        Try the example conversation
      </button>
    </div>
  );
}
