import { useAskStore } from '../../store/ask/askStore';
import { EmptyState } from '../shell/EmptyState';

/** The table's place when no memory of the current filters matches the question. */
export function NoAskMatch() {
  const clear = () => useAskStore.getState().setQuestion('');
  return (
    <div className="table-wrap">
      <EmptyState title="No memory matches the question" showExample={false}>
        No memory shown shares a word, a type, a time or a place with it. Rephrase it, clear the
        filters, or{' '}
        <button type="button" className="button small" onClick={clear}>
          Clear question
        </button>
      </EmptyState>
    </div>
  );
}
