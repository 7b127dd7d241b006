import type { ReactNode } from 'react';
import { useId } from 'react';

/** A checkbox with its label beside it, in a `row` (extra classes such as a margin go in `className`). */
export function CheckboxRow({
  checked,
  onChange,
  className,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className={className ? `row ${className}` : 'row'}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{children}</label>
    </div>
  );
}
