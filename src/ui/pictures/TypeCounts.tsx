import { memo } from 'react';

import type { MemoryType } from '../../core/schema/answer';
import { memoryTypes } from '../../core/schema/answer';
import { useFilterStore } from '../../store/view/filterStore';
import { formatCount } from '../common/format';
import { typeLabels } from '../common/labels';
import './pictures.css';

/** Counts by type as bars; choosing one shows only that type (again: all types). */
export const TypeCounts = memo(function TypeCounts({
  counts,
}: {
  counts: Record<MemoryType, number>;
}) {
  const types = useFilterStore((state) => state.filters.types);
  const setFilters = useFilterStore((state) => state.setFilters);
  const max = Math.max(...memoryTypes.map((type) => counts[type]), 1);
  return (
    <figure className="picture card flush">
      <figcaption className="picture-title">
        <span>By type</span>
      </figcaption>
      {memoryTypes.map((type) => {
        const only = types.length === 1 && types[0] === type;
        return (
          <button
            key={type}
            type="button"
            className="type-bar-row"
            aria-pressed={only}
            aria-label={`${typeLabels[type]}: ${formatCount(counts[type])} memories. Show only ${typeLabels[type]}`}
            onClick={() => setFilters({ types: only ? [] : [type] })}
          >
            <span className="type-name">{typeLabels[type]}</span>
            <span className="type-bar-track">
              <svg
                width="100%"
                height="10"
                aria-hidden="true"
                preserveAspectRatio="none"
                viewBox="0 0 100 10"
              >
                <rect
                  width={(counts[type] / max) * 100}
                  height={10}
                  rx={5}
                  className={`type-bar-fill ${type}`}
                  opacity={types.length === 0 || types.includes(type) ? 1 : 0.3}
                />
              </svg>
            </span>
            <span className="numeric">{formatCount(counts[type])}</span>
          </button>
        );
      })}
    </figure>
  );
});
