import { useRef, useState } from 'react';

import { importSizeError } from '../../core/import';
import { appServices } from '../../store/boot/appServices';
import { errorText } from '../../core/errorText';
import { plural } from '../common/format';

/** Brings back memories exported from DimMem (a JSON backup or a JSONL file). */
export function RestoreSection() {
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
      .then((text) => appServices().restore.restoreFile(text))
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
    <section aria-labelledby="restore-title" className="restore-section">
      <h3 className="section-title" id="restore-title">
        Restore memories
      </h3>
      <p className="muted restore-lede">
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
          className={`notice restore-message ${message.ok ? 'success' : 'error'}`}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
