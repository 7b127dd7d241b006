import { INVISIBLE } from './transcriptLines';
import { numericDateParts } from './transcriptStamps';
import type { AppliedDateOrder, ImportOptions } from './types';

/** `03/04/2024` at a line's start, after any brackets or decoration. */
const LEADING_NUMERIC_DATE = /^[\s\-–—=*#_|[\]()]*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})/;

/**
 * How a text's numeric dates are read: as the user chose, else day first unless some date only
 * reads month first (`03/25/2024`); null when the text has none.
 */
export function transcriptDateOrder(
  text: string,
  options: Pick<ImportOptions, 'dateOrder'> = {},
): (AppliedDateOrder & { conflicting: boolean }) | null {
  let seen = false;
  let dayOver12 = false;
  let monthOver12 = false;
  for (const line of text.split('\n')) {
    const match = LEADING_NUMERIC_DATE.exec(line.replace(INVISIBLE, ''));
    const parts = match ? numericDateParts(match[1]!) : null;
    if (!parts) continue;
    seen = true;
    if (parts[0] > 12 && parts[1] <= 12) dayOver12 = true;
    if (parts[1] > 12 && parts[0] <= 12) monthOver12 = true;
  }
  if (!seen) return null;
  const conflicting = dayOver12 && monthOver12;
  if (options.dateOrder) return { order: options.dateOrder, reason: 'chosen', conflicting };
  if (monthOver12 && !dayOver12)
    return { order: 'month-first', reason: 'part over 12', conflicting };
  return {
    order: 'day-first',
    reason: dayOver12 && !conflicting ? 'part over 12' : 'default',
    conflicting,
  };
}
