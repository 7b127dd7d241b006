import { useId } from 'react';

import type { ImportFormatId } from '../../core/conversation';
import { formatLabels } from '../../core/import';

/** The paste box and the format detected in its settled text. */
export function PasteBox({
  text,
  settled,
  format,
  onChange,
}: {
  text: string;
  /** The text as last read (see useSettledText); `format` is its format. */
  settled: string;
  format: ImportFormatId | null;
  onChange: (text: string) => void;
}) {
  const id = useId();
  return (
    <div>
      <label className="field" htmlFor={id}>
        Paste a chat
      </label>
      <textarea
        id={id}
        className="textarea paste-box"
        value={text}
        placeholder={'[2023-04-23T08:57:00, Sun] 1.User: …\nor a transcript, or exported JSON'}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={`${id}-format`}
        spellCheck={false}
      />
      <div className="format-line" id={`${id}-format`} aria-live="polite">
        {settled.trim() === '' ? (
          <span>The format is detected as you type.</span>
        ) : format ? (
          <>
            Detected format: <span className="pill accent">{formatLabels[format]}</span>
          </>
        ) : (
          <span className="pill warning">Format not recognised</span>
        )}
      </div>
    </div>
  );
}
