import type { ReactNode } from 'react';
import { useId } from 'react';

interface UrlFieldProps {
  label: ReactNode;
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
  required?: boolean;
}

/** A labelled, full-width URL input. */
export function UrlField({ label, value, placeholder, onChange, required }: UrlFieldProps) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input full-width"
        type="url"
        required={required}
        value={value}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
      />
    </>
  );
}
