import { memoryTypes } from '../schema/answer';
import type { MemoryType } from '../schema/answer';
import { parseNaiveIso } from '../time/localTime';
import { emptyFilters, isMemoryColumnId } from './types';
import type { MemoryFilters, MemorySort } from './types';

/**
 * Filters and sort as URL query parameters, so a filtered view can be bookmarked and the back
 * button walks through filter changes: `?type=fact,episodic&kw=Paris&from=2023-04-01&q=pasta`.
 * Only non-default values are written; unknown or malformed values are ignored on read.
 */
export const filterParamNames = [
  'type',
  'from',
  'to',
  'basis',
  'loc',
  'kw',
  'conv',
  'edited',
  'q',
  'sort',
] as const;

const isMemoryType = (value: string): value is MemoryType =>
  (memoryTypes as readonly string[]).includes(value);
const isoDateOrNull = (value: string | null): string | null =>
  value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && parseNaiveIso(value) !== null
    ? value
    : null;
const unique = <V>(values: V[]): V[] => [...new Set(values)];

export function filtersFromParams(params: URLSearchParams): MemoryFilters {
  const types = unique(
    (params.get('type') ?? '')
      .split(',')
      .map((type) => type.trim())
      .filter(isMemoryType),
  );
  return {
    types: memoryTypes.filter((type) => types.includes(type)),
    timeFrom: isoDateOrNull(params.get('from')),
    timeTo: isoDateOrNull(params.get('to')),
    timeBasis: params.get('basis') === 'memory' ? 'memory' : 'message',
    location: params.get('loc') ?? '',
    keywords: unique(params.getAll('kw').filter((keyword) => keyword.trim() !== '')),
    conversationIds: unique(params.getAll('conv').filter((id) => id !== '')),
    editedOnly: params.get('edited') === '1',
    text: params.get('q') ?? '',
  };
}

export function sortFromParams(params: URLSearchParams): MemorySort | null {
  const raw = params.get('sort');
  if (!raw) return null;
  const desc = raw.startsWith('-');
  const column = desc ? raw.slice(1) : raw;
  return isMemoryColumnId(column) ? { column, desc } : null;
}

/** Writes filters and sort into `params` (replacing any filter parameters already there). */
export function writeFilterParams(
  params: URLSearchParams,
  filters: MemoryFilters,
  sort: MemorySort | null,
): URLSearchParams {
  for (const name of filterParamNames) params.delete(name);
  if (filters.types.length > 0) params.set('type', filters.types.join(','));
  if (filters.timeFrom) params.set('from', filters.timeFrom);
  if (filters.timeTo) params.set('to', filters.timeTo);
  if (filters.timeBasis !== emptyFilters.timeBasis) params.set('basis', filters.timeBasis);
  if (filters.location !== '') params.set('loc', filters.location);
  for (const keyword of filters.keywords) params.append('kw', keyword);
  for (const id of filters.conversationIds) params.append('conv', id);
  if (filters.editedOnly) params.set('edited', '1');
  if (filters.text !== '') params.set('q', filters.text);
  if (sort) params.set('sort', `${sort.desc ? '-' : ''}${sort.column}`);
  return params;
}

/** Whether any filter narrows the result (sort and time basis alone do not). */
export function hasActiveFilters(filters: MemoryFilters): boolean {
  return (
    filters.types.length > 0 ||
    filters.timeFrom !== null ||
    filters.timeTo !== null ||
    filters.location.trim() !== '' ||
    filters.keywords.length > 0 ||
    filters.conversationIds.length > 0 ||
    filters.editedOnly ||
    filters.text.trim() !== ''
  );
}
