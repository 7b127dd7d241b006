import { memo } from 'react';

import type { KeywordFacet } from '../../core/filter';
import { useFilterStore } from '../../store/view/filterStore';
import { formatCount } from '../common/format';

/** The most frequent keywords of the result; choosing one narrows it (all chosen must match). */
export const KeywordChips = memo(function KeywordChips({
  facets,
}: {
  facets: readonly KeywordFacet[];
}) {
  const selected = useFilterStore((state) => state.filters.keywords);
  const toggleKeyword = useFilterStore((state) => state.toggleKeyword);
  if (facets.length === 0) return null;
  const isSelected = (keyword: string) =>
    selected.some((chosen) => chosen.toLowerCase() === keyword.toLowerCase());
  return (
    <div className="keyword-chips" role="group" aria-label="Keywords">
      {facets.map((facet) => (
        <button
          key={facet.keyword}
          type="button"
          className="outlined-pill chip"
          aria-pressed={isSelected(facet.keyword)}
          onClick={() => toggleKeyword(facet.keyword)}
        >
          {facet.keyword}
          <span className="count">{formatCount(facet.count)}</span>
        </button>
      ))}
    </div>
  );
});
