import { useViewStore } from '../../store/view/viewStore';
import { formatCount, plural } from '../common/format';
import type { SavedOutcome } from './importFlow';
import { WarningsList } from './WarningsList';

/** What the last save did: how much was saved or skipped, what was cancelled, its warnings. */
export function SavedNotice({ saved }: { saved: SavedOutcome }) {
  const messages = saved.saved.reduce((sum, record) => sum + record.userMessageCount, 0);
  return (
    <>
      <div className="notice success row import-saved" role="status">
        <span className="spacer">
          {saved.saved.length === 0 && saved.cancelled.length > 0 ? (
            `Import cancelled: nothing of ${saved.cancelled.join(', ')} was saved.`
          ) : (
            <>
              Saved {plural(saved.saved.length, 'conversation')} ({plural(messages, 'user message')}
              ){saved.skipped > 0 && `; skipped ${formatCount(saved.skipped)} already stored`}.
              {saved.cancelled.length > 0 &&
                ` Cancelled: nothing of ${saved.cancelled.join(', ')} was saved.`}
            </>
          )}
        </span>
        {saved.saved.length > 0 && (
          <button
            type="button"
            className="button primary"
            onClick={() => useViewStore.getState().setView('runs')}
          >
            Extract memories →
          </button>
        )}
      </div>
      {saved.warnings.length > 0 && (
        <div className="import-saved-warnings">
          <WarningsList warnings={saved.warnings} label="while importing" />
        </div>
      )}
    </>
  );
}
