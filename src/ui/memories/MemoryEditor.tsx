import type { FormEvent } from 'react';
import { useId, useState } from 'react';

import { memoryTypes } from '../../core/schema/answer';
import { appServices } from '../../store/boot/appServices';
import type { MemoryRecord } from '../../store/db/records';
import { errorText } from '../../core/errorText';
import { textDimensions, typeLabels } from '../common/labels';
import type { MemoryEditDraft, MemoryEditErrors } from './memoryEdit';
import { draftOf, validateEdit } from './memoryEdit';

interface MemoryEditorProps {
  memory: MemoryRecord;
  onDone: () => void;
}

/** Edits a memory; the edit is validated against the answer schema and marked as edited. */
export function MemoryEditor({ memory, onDone }: MemoryEditorProps) {
  const [draft, setDraft] = useState<MemoryEditDraft>(() => draftOf(memory));
  const [errors, setErrors] = useState<MemoryEditErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();

  const field = <K extends keyof MemoryEditDraft>(key: K) => ({
    id: `${id}-${key}`,
    value: draft[key],
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `${id}-${key}-error` : undefined,
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [key]: event.target.value })),
  });
  const errorOf = (key: keyof MemoryEditDraft) =>
    errors[key] ? (
      <span className="field-error" id={`${id}-${key}-error`}>
        {errors[key]}
      </span>
    ) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateEdit(draft);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    setSaveError(null);
    appServices()
      .memories.saveEdit(memory.id, result.edit)
      .then(onDone)
      .catch((caught: unknown) => setSaveError(errorText(caught)))
      .finally(() => setSaving(false));
  };

  return (
    <form className="edit-form" onSubmit={submit} aria-label="Edit memory" noValidate>
      <label className="field" htmlFor={`${id}-content`}>
        Content
        <textarea className="textarea" rows={4} {...field('content')} autoFocus />
        {errorOf('content')}
      </label>
      <label className="field" htmlFor={`${id}-memoryType`}>
        Type
        <select className="select" {...field('memoryType')}>
          {memoryTypes.map((type) => (
            <option key={type} value={type}>
              {typeLabels[type]}
            </option>
          ))}
        </select>
        {errorOf('memoryType')}
      </label>
      <label className="field" htmlFor={`${id}-time`}>
        Time (date or range)
        <input
          className="input"
          placeholder="2023-04-24 or 2023-09-01/2023-11-30"
          {...field('time')}
        />
        {errorOf('time')}
      </label>
      {textDimensions.map(({ key, label }) => (
        <label key={key} className="field" htmlFor={`${id}-${key}`}>
          {label}
          <input className="input" {...field(key)} />
        </label>
      ))}
      <label className="field" htmlFor={`${id}-keywords`}>
        Keywords (comma-separated)
        <input className="input" {...field('keywords')} />
        {errorOf('keywords')}
      </label>
      {saveError && (
        <p role="alert" className="notice error">
          {saveError}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
