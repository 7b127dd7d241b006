import type { LocalTime } from '../time/localTime';
import { checkedLocalTime } from '../time/localTime';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** `Mar`, `march`, `Sept.` → 3, 3, 9; null when not a month name. */
export function monthNumber(name: string): number | null {
  const lower = name
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^sept$/, 'sep');
  const index = MONTHS.findIndex(
    (month) => month === lower || (lower.length === 3 && month.startsWith(lower)),
  );
  return index === -1 ? null : index + 1;
}

/** 12-hour clock to 24: 12 am is midnight, 12 pm is noon. */
export function hour24(hour: number, meridiem: string | undefined): number | null {
  if (!meridiem) return hour;
  if (hour < 1 || hour > 12) return null;
  const pm = meridiem.toLowerCase().startsWith('p');
  return (hour % 12) + (pm ? 12 : 0);
}

/** LongMemEval's `2023/05/20 (Sat) 09:30`. */
export function parseLongMemEvalDate(text: string): LocalTime | null {
  const match =
    /^(\d{4})\/(\d{1,2})\/(\d{1,2})\s*(?:\([A-Za-z]{3}\))?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(
      text.trim(),
    );
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '0'] = match;
  return checkedLocalTime(+y!, +mo!, +d!, +h!, +mi!, +s);
}

/** LoCoMo's `1:47 pm on 18 May, 2023`. */
export function parseLocomoDate(text: string): LocalTime | null {
  const match =
    /^(\d{1,2}):(\d{2})\s*([ap])\.?m\.?\s+on\s+(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$/i.exec(
      text.trim(),
    );
  if (!match) return null;
  const [, h, mi, meridiem, d, monthName, y] = match;
  const month = monthNumber(monthName!);
  const hour = hour24(+h!, meridiem);
  if (month === null || hour === null) return null;
  return checkedLocalTime(+y!, month, +d!, hour, +mi!);
}
