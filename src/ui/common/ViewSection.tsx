import type { ReactNode } from 'react';
import { useId } from 'react';

interface ViewSectionProps {
  title: ReactNode;
  /** What the view is for, in a sentence or two under the title. */
  lede?: ReactNode;
  children: ReactNode;
}

/** A top-level view: a section named by its heading, with an optional lede. */
export function ViewSection({ title, lede, children }: ViewSectionProps) {
  const titleId = useId();
  return (
    <section className="view" aria-labelledby={titleId}>
      <h2 className="view-title" id={titleId}>
        {title}
      </h2>
      {lede && <p className="view-lede">{lede}</p>}
      {children}
    </section>
  );
}
