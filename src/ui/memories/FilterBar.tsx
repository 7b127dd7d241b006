import type { KeyboardEvent } from 'react';
import { memo, useId } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { hasActiveFilters } from '../../core/filter';
import type { MemoryType } from '../../core/schema/answer';
import { memoryTypes } from '../../core/schema/answer';
import type { ConversationRecord } from '../../store/db/records';
import { useFilterStore } from '../../store/view/filterStore';
import { formatCount } from '../common/format';
import { typeLabels } from '../common/labels';
import { searchInputId } from '../shell/useGlobalShortcuts';

interface FilterBarProps {
  typeCounts: Record<MemoryType, number>;
  conversations: readonly ConversationRecord[];
  locations: readonly { location: string; count: number }[];
  /** Move focus from the search box to the first row (ArrowDown). */
  onLeaveSearch: () => void;
}

/**
 * The conversation choices: hundreds of options that change only when conversations do, not on
 * every filter change.
 */
/** The two date bounds of the filter, rendered as the same date field. */
const dateBounds = [
  { label: 'From', key: 'timeFrom' },
  { label: 'To', key: 'timeTo' },
] as const;

const ConversationOptions = memo(function ConversationOptions({
  conversations,
}: {
  conversations: readonly ConversationRecord[];
}) {
  return conversations.map((conversation) => (
    <option key={conversation.id} value={conversation.id}>
      {conversation.title}
    </option>
  ));
});

const LocationOptions = memo(function LocationOptions({
  id,
  locations,
}: {
  id: string;
  locations: readonly { location: string; count: number }[];
}) {
  return (
    <datalist id={id}>
      {locations.map(({ location }) => (
        <option key={location} value={location} />
      ))}
    </datalist>
  );
});

export const FilterBar = memo(function FilterBar({
  typeCounts,
  conversations,
  locations,
  onLeaveSearch,
}: FilterBarProps) {
  const filters = useFilterStore((state) => state.filters);
  const actions = useFilterStore(
    useShallow((state) => ({
      setFilters: state.setFilters,
      setText: state.setText,
      toggleType: state.toggleType,
      clearFilters: state.clearFilters,
    })),
  );
  const locationListId = useId();

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (filters.text !== '') actions.setText('');
      else event.currentTarget.blur();
    } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
      event.preventDefault();
      onLeaveSearch();
    }
  };

  return (
    <div className="filter-bar" role="search" aria-label="Filter memories">
      <label className="field search-field">
        <span>
          Search{' '}
          <span className="kbd" aria-hidden="true">
            /
          </span>
        </span>
        <input
          id={searchInputId}
          className="input search-input"
          type="search"
          placeholder="Words, prefixes, typos are fine"
          value={filters.text}
          onChange={(event) => actions.setText(event.target.value)}
          onKeyDown={onSearchKeyDown}
          autoComplete="off"
          spellCheck={false}
        />
      </label>

      <div className="field">
        <span id="type-filter-label">Type</span>
        <div className="type-toggles" role="group" aria-labelledby="type-filter-label">
          {memoryTypes.map((type) => (
            <button
              key={type}
              type="button"
              className="type-toggle"
              aria-pressed={filters.types.includes(type)}
              onClick={() => actions.toggleType(type)}
            >
              {typeLabels[type]}
              <span className="count">{formatCount(typeCounts[type])}</span>
            </button>
          ))}
        </div>
      </div>

      {dateBounds.map(({ label, key }) => (
        <label key={key} className="field">
          <span>{label}</span>
          <input
            className="input date-input"
            type="date"
            value={filters[key] ?? ''}
            onChange={(event) => actions.setFilters({ [key]: event.target.value || null })}
          />
        </label>
      ))}
      <label className="field">
        <span>Dates of</span>
        <select
          className="select"
          value={filters.timeBasis}
          onChange={(event) =>
            actions.setFilters({
              timeBasis: event.target.value === 'memory' ? 'memory' : 'message',
            })
          }
        >
          <option value="message">the message</option>
          <option value="memory">the memory</option>
        </select>
      </label>

      <label className="field">
        <span>Location</span>
        <input
          className="input location-input"
          type="text"
          list={locationListId}
          value={filters.location}
          placeholder="Any"
          onChange={(event) => actions.setFilters({ location: event.target.value }, 'replace')}
        />
        <LocationOptions id={locationListId} locations={locations} />
      </label>

      <label className="field">
        <span>Conversation</span>
        <select
          className="select conversation-select"
          value={filters.conversationIds.length === 1 ? filters.conversationIds[0] : ''}
          onChange={(event) =>
            actions.setFilters({ conversationIds: event.target.value ? [event.target.value] : [] })
          }
        >
          <option value="">All conversations</option>
          <ConversationOptions conversations={conversations} />
        </select>
      </label>

      <label className="checkbox filter-checkbox">
        <input
          type="checkbox"
          checked={filters.editedOnly}
          onChange={(event) => actions.setFilters({ editedOnly: event.target.checked })}
        />
        Edited only
      </label>

      {hasActiveFilters(filters) && (
        <button type="button" className="button ghost" onClick={actions.clearFilters}>
          Clear filters
        </button>
      )}
    </div>
  );
});
