import type { ReactNode } from 'react';
import { useState } from 'react';

import { errorText } from '../../core/errorText';
import { loadExampleConversation } from './exampleConversation';
import { FieldError } from '../common/FieldError';
import './emptyState.css';

interface EmptyStateProps {
  title: string;
  children: ReactNode;
  /** Extra actions shown before "Try the example conversation". */
  actions?: ReactNode;
  showExample?: boolean;
}

export function EmptyState({ title, children, actions, showExample = true }: EmptyStateProps) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="empty-state" aria-label={title}>
      <div className="empty-art" aria-hidden="true">
        ◇
      </div>
      <h2>{title}</h2>
      <p>{children}</p>
      <div className="row empty-actions">
        {actions}
        {showExample && (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setError(null);
              loadExampleConversation().catch((caught: unknown) => setError(errorText(caught)));
            }}
          >
            Try the example conversation
          </button>
        )}
      </div>
      <FieldError error={error} />
    </section>
  );
}
