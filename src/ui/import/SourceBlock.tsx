import { memo, useId } from 'react';

import type { ImportFormatId } from '../../core/conversation';
import { BOTH_SPEAKERS, formatLabels } from '../../core/import';
import type { AppliedDateOrder } from '../../core/import';
import type { ImportProgress, SummaryRow } from '../../store/import/importWorkerClient';
import { formatCount, formatDateRange, plural } from '../common/format';
import { ImportProgressLine } from './ImportProgressLine';
import type { SourceChoices } from './importPreview';
import { WarningsList } from './WarningsList';

/** What the preview shows of one source, whether the page or the import worker read it. */
export type SourceView = { key: string; name: string; speakers: string[] | null } & (
  | {
      state: 'ok';
      format: ImportFormatId;
      rows: SummaryRow[];
      warnings: string[];
      needsDate: boolean;
      /** How a transcript's numeric dates were read, when it has any. */
      dateOrder?: AppliedDateOrder | null;
      /** Set while the import worker saves it. */
      saving?: ImportProgress | null;
    }
  | { state: 'error'; error: string }
  | { state: 'reading'; progress: ImportProgress | null }
  | { state: 'cancelled' }
);

const ROWS_SHOWN = 200;

/** Memoized: while a large file is saved, its progress re-renders the block, not the rows. */
const PreviewTable = memo(function PreviewTable({ rows }: { rows: SummaryRow[] }) {
  return (
    <>
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
          {rows.slice(0, ROWS_SHOWN).map((row) => (
            <tr key={row.id}>
              <td>
                {row.title}
                {row.voiceMessages > 0 && (
                  <span
                    className="pill row-pill"
                    title="Transcribed from ChatGPT's voice mode: the words may be misheard"
                  >
                    {plural(row.voiceMessages, 'voice message')}
                  </span>
                )}
              </td>
              <td className="numeric">{formatCount(row.messageCount)}</td>
              <td className="numeric">{formatCount(row.userMessageCount)}</td>
              <td>
                {formatDateRange(row.first, row.last)}
                {row.assumedDate && <span className="pill warning row-pill">assumed date</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > ROWS_SHOWN && (
        <p className="muted source-inset">
          and {formatCount(rows.length - ROWS_SHOWN)} more conversations
        </p>
      )}
    </>
  );
});

/** One source in "What will be imported": its format, choices, warnings and conversations. */
export function SourceBlock({
  view,
  choices,
  onChoices,
  onRemove,
  onCancel,
}: {
  view: SourceView;
  choices: SourceChoices;
  onChoices: (choices: SourceChoices) => void;
  onRemove: () => void;
  onCancel: () => void;
}) {
  const id = useId();
  const ok = view.state === 'ok' ? view : null;
  return (
    <section className="card source-block" aria-label={`Preview of ${view.name}`}>
      <div className="source-head">
        <span className="source-name">{view.name}</span>
        {ok && <span className="pill accent">{formatLabels[ok.format]}</span>}
        {ok && <span className="muted">{plural(ok.rows.length, 'conversation')}</span>}
        <span className="spacer" />
        <button
          type="button"
          className="button ghost small"
          onClick={onRemove}
          disabled={ok?.saving !== undefined}
        >
          Remove
        </button>
      </div>
      {(view.speakers || ok?.needsDate || ok?.dateOrder) && (
        <div className="source-options">
          {view.speakers && (
            <label className="field" htmlFor={`${id}-speaker`}>
              Whose memories (the user)
              <select
                id={`${id}-speaker`}
                className="select"
                value={choices.speaker ?? ''}
                onChange={(event) => onChoices({ ...choices, speaker: event.target.value })}
              >
                <option value="">{view.speakers[0]} (first speaker)</option>
                {view.speakers.slice(1).map((speaker) => (
                  <option key={speaker} value={speaker}>
                    {speaker}
                  </option>
                ))}
                <option value={BOTH_SPEAKERS}>Both (one conversation each)</option>
              </select>
            </label>
          )}
          {ok?.dateOrder && (
            <label className="field" htmlFor={`${id}-date-order`}>
              Dates such as 03/04/2024
              <select
                id={`${id}-date-order`}
                className="select"
                value={choices.dateOrder ?? ok.dateOrder.order}
                onChange={(event) =>
                  onChoices({
                    ...choices,
                    dateOrder: event.target.value === 'month-first' ? 'month-first' : 'day-first',
                  })
                }
              >
                <option value="day-first">day first (3 April)</option>
                <option value="month-first">month first (March 4)</option>
              </select>
              <span>
                {ok.dateOrder.reason === 'part over 12'
                  ? 'A date in this chat reads only this way.'
                  : ok.dateOrder.reason === 'chosen'
                    ? 'As you chose.'
                    : 'Day first unless a date shows otherwise.'}
              </span>
            </label>
          )}
          {ok?.needsDate && (
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
      {view.state === 'error' && (
        <p role="alert" className="notice error source-inset">
          {view.error}
        </p>
      )}
      {view.state === 'cancelled' && (
        <p className="notice source-inset">
          Reading was cancelled. Remove this file, or add it again to read it.
        </p>
      )}
      {(view.state === 'reading' || ok?.saving !== undefined) && (
        <div className="source-inset">
          <ImportProgressLine
            name={view.name}
            phase={view.state === 'reading' ? 'reading' : 'saving'}
            progress={view.state === 'reading' ? view.progress : (ok?.saving ?? null)}
            onCancel={onCancel}
          />
        </div>
      )}
      {ok && (
        <>
          {ok.warnings.length > 0 && (
            <div className="source-inset">
              <WarningsList warnings={ok.warnings} />
            </div>
          )}
          <PreviewTable rows={ok.rows} />
        </>
      )}
    </section>
  );
}
