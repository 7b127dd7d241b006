import { checkedLocalTime, toIsoDate, type LocalTime } from '../time/localTime';

/**
 * Time expressions of a question ("last week", "in May 2023", "before June", "2 years ago",
 * "the week before 9 June 2023") turned into the reference's time constraint text
 * (`on/before/after/around <time>`, `between <start> and <end>`), resolved against the date the
 * question was asked. No model is involved: this runs as the user types.
 */

const DAY_MS = 86_400_000;

const MONTH = String.raw`(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?`;
const ORDINAL_DAY = String.raw`\d{1,2}(?:st|nd|rd|th)?`;
/** A date as people write it; longest forms first so the alternation takes the whole phrase. */
const DATE =
  String.raw`(?:\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|${MONTH}\s+${ORDINAL_DAY}(?:,?\s+\d{4})?|` +
  String.raw`${ORDINAL_DAY}\s+(?:of\s+)?${MONTH}(?:,?\s+\d{4})?|${MONTH}(?:,?\s+\d{4})?|(?:19|20)\d{2})`;
const WEEKDAY = String.raw`(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday)`;
const COUNT = String.raw`(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+couple\s+of|a\s+few|couple\s+of)`;
const SEASON = String.raw`(?:spring|summer|fall|autumn|winter)`;

const monthNumbers: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const weekdayNumbers: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};
const countWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  'a couple of': 2,
  'couple of': 2,
  'a few': 3,
};

/** A date as written: a year, a month of a year, or a day; the year may be missing. */
interface WrittenDate {
  year: number | null;
  month: number | null;
  day: number | null;
}

/** A time expression found in a question. */
export interface FoundTime {
  /** The constraint (`after 2023-05`), or null when it needs a date the question lacks. */
  constraint: string | null;
  /** Where the expression is in the question (so its words are not taken as keywords). */
  index: number;
  length: number;
  /** The words as the question has them. */
  phrase: string;
  /** Why nothing could be made of it, when `constraint` is null. */
  note?: string;
}

const monthOf = (word: string) => monthNumbers[word.slice(0, 3).toLowerCase()] ?? null;

function readDate(text: string): WrittenDate | null {
  const value = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return { year: +m[1]!, month: +m[2]!, day: +m[3]! };
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m) return { year: +m[1]!, month: +m[2]!, day: null };
  m = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?$/.exec(value);
  if (m) return { year: m[3] ? +m[3] : null, month: monthOf(m[1]!), day: +m[2]! };
  m = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?(?:,? (\d{4}))?$/.exec(value);
  if (m) return { year: m[3] ? +m[3] : null, month: monthOf(m[2]!), day: +m[1]! };
  m = /^([a-z]+)\.?(?:,? (\d{4}))?$/.exec(value);
  if (m && monthOf(m[1]!) !== null)
    return { year: m[2] ? +m[2] : null, month: monthOf(m[1]!), day: null };
  m = /^(\d{4})$/.exec(value);
  if (m) return { year: +m[1]!, month: null, day: null };
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');
const addDays = (time: LocalTime, days: number) => time + days * DAY_MS;
const weekdayOf = (time: LocalTime) => new Date(time).getUTCDay();
const yearOf = (time: LocalTime) => new Date(time).getUTCFullYear();
const monthNumberOf = (time: LocalTime) => new Date(time).getUTCMonth() + 1;

/** Fills a missing year: the latest such date not after the question's date, or its own year. */
function completeDate(
  date: WrittenDate,
  askedOn: LocalTime | null,
  latestPast: boolean,
): WrittenDate | null {
  if (date.year !== null) return date;
  if (askedOn === null) return null;
  const year = yearOf(askedOn);
  if (!latestPast) return { ...date, year };
  const start = checkedLocalTime(year, date.month ?? 1, date.day ?? 1);
  return { ...date, year: start !== null && start > askedOn ? year - 1 : year };
}

/** `2023`, `2023-05`, `2023-05-07`; null for a date that does not exist (31 June). */
function formatDate(date: WrittenDate): string | null {
  if (date.year === null) return null;
  if (date.month === null) return String(date.year);
  if (date.day === null) return `${date.year}-${pad(date.month)}`;
  return checkedLocalTime(date.year, date.month, date.day) === null
    ? null
    : `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

function dayOf(date: WrittenDate): LocalTime | null {
  if (date.year === null || date.month === null || date.day === null) return null;
  return checkedLocalTime(date.year, date.month, date.day);
}

const monthText = (time: LocalTime) => `${yearOf(time)}-${pad(monthNumberOf(time))}`;

function monthsBack(askedOn: LocalTime, months: number): string {
  const index = yearOf(askedOn) * 12 + monthNumberOf(askedOn) - 1 - months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

function countOf(text: string): number {
  const word = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return /^\d+$/.test(word) ? Number(word) : (countWords[word] ?? 1);
}

/** Monday of the week a day is in (weeks run Monday to Sunday). */
const mondayOf = (day: LocalTime) => addDays(day, -((weekdayOf(day) + 6) % 7));

/** The Saturday and Sunday of the last weekend that ended before `day`. */
function weekendBefore(day: LocalTime): [LocalTime, LocalTime] {
  let sunday = addDays(day, -1);
  while (weekdayOf(sunday) !== 0) sunday = addDays(sunday, -1);
  return [addDays(sunday, -1), sunday];
}

const between = (from: LocalTime, to: LocalTime) =>
  from === to ? `on ${toIsoDate(from)}` : `between ${toIsoDate(from)} and ${toIsoDate(to)}`;

const seasonMonths: Record<string, [number, number]> = {
  spring: [3, 5],
  summer: [6, 8],
  fall: [9, 11],
  autumn: [9, 11],
  winter: [12, 14],
};

function seasonOf(season: string, year: number): string {
  const [first, last] = seasonMonths[season.toLowerCase()]!;
  const month = (n: number) => `${year + Math.floor((n - 1) / 12)}-${pad(((n - 1) % 12) + 1)}`;
  return `between ${month(first)} and ${month(last)}`;
}

type Rule = {
  pattern: RegExp;
  /** The constraint, or null when a date is missing; `undefined` rejects the match. */
  read: (match: RegExpExecArray, askedOn: LocalTime | null) => string | null | undefined;
};

const needsDate = null;

/** The rules, most specific first; the first rule that matches anywhere in the question wins. */
const rules: Rule[] = [
  {
    // between March and May 2023, from 1 May to 7 May 2023
    pattern: new RegExp(
      String.raw`\b(?:between|from)\s+(${DATE})\s+(?:and|to|until|till)\s+(${DATE})\b`,
      'i',
    ),
    read: (m, askedOn) => {
      const right = readDate(m[2]!);
      let left = readDate(m[1]!);
      if (left === null || right === null) return undefined;
      const end = completeDate(right, askedOn, true);
      if (end === null) return needsDate;
      // "between March and May 2023": the first date takes the second one's year.
      if (left.year === null) left = { ...left, year: end.year };
      const from = formatDate(left);
      const to = formatDate(end);
      return from === null || to === null ? undefined : `between ${from} and ${to}`;
    },
  },
  {
    // the week before 9 June 2023, the weekend before …, the Sunday before …, the day before …
    pattern: new RegExp(
      String.raw`\b(?:the\s+|last\s+)?(week|weekend|day|${WEEKDAY})\s+before\s+(${DATE})\b`,
      'i',
    ),
    read: (m, askedOn) => {
      const written = readDate(m[2]!);
      if (written === null) return undefined;
      const date = completeDate(written, askedOn, true);
      if (date === null) return needsDate;
      const day = dayOf(date);
      if (day === null) return undefined;
      const unit = m[1]!.toLowerCase();
      if (unit === 'week') return between(addDays(day, -7), addDays(day, -1));
      if (unit === 'weekend') return between(...weekendBefore(day));
      if (unit === 'day') return `on ${toIsoDate(addDays(day, -1))}`;
      let target = addDays(day, -1);
      while (weekdayOf(target) !== weekdayNumbers[unit]) target = addDays(target, -1);
      return `on ${toIsoDate(target)}`;
    },
  },
  {
    // two weeks before August 11, 2023; 3 days after 1 May 2023
    pattern: new RegExp(
      String.raw`\b(${COUNT})\s+(days?|weeks?|weekends?|months?)\s+(before|after)\s+(${DATE})\b`,
      'i',
    ),
    read: (m, askedOn) => {
      const written = readDate(m[4]!);
      if (written === null) return undefined;
      const date = completeDate(written, askedOn, true);
      if (date === null) return needsDate;
      const day = dayOf(date);
      if (day === null) return undefined;
      const sign = m[3]!.toLowerCase() === 'before' ? -1 : 1;
      const unit = m[2]!.toLowerCase();
      const days = unit.startsWith('month') ? 30 : unit.startsWith('day') ? 1 : 7;
      return `around ${toIsoDate(addDays(day, sign * countOf(m[1]!) * days))}`;
    },
  },
  {
    // before June, after 2023-05-01, since March 2023, by July 10, 2022, around May 2023
    pattern: new RegExp(
      String.raw`\b(before|prior\s+to|until|till|by|after|since|around|about|circa)\s+(${DATE})\b`,
      'i',
    ),
    read: (m, askedOn) => {
      const word = m[1]!.toLowerCase();
      const written = readDate(m[2]!);
      if (written === null) return undefined;
      // "before June" asked in 2023 means June 2023, even when June is still to come.
      const date = completeDate(written, askedOn, false);
      if (date === null) return needsDate;
      const text = formatDate(date);
      if (text === null) return undefined;
      if (/^(before|prior|until|till|by)/.test(word)) return `before ${text}`;
      if (word === 'after' || word === 'since') return `after ${text}`;
      return `around ${text}`;
    },
  },
  {
    // 2 years ago, a week ago, three days ago
    pattern: new RegExp(String.raw`\b(${COUNT})\s+(days?|weeks?|months?|years?)\s+ago\b`, 'i'),
    read: (m, askedOn) => {
      if (askedOn === null) return needsDate;
      const count = countOf(m[1]!);
      const unit = m[2]!.toLowerCase();
      if (unit.startsWith('day')) return `around ${toIsoDate(addDays(askedOn, -count))}`;
      if (unit.startsWith('week')) return `around ${toIsoDate(addDays(askedOn, -7 * count))}`;
      if (unit.startsWith('month')) return `around ${monthsBack(askedOn, count)}`;
      return `around ${yearOf(askedOn) - count}`;
    },
  },
  {
    // the day before yesterday, yesterday, last night, today, tonight, this morning
    pattern:
      /\b(the\s+day\s+before\s+yesterday|yesterday|last\s+night|today|tonight|this\s+(?:morning|afternoon|evening))\b/i,
    read: (m, askedOn) => {
      if (askedOn === null) return needsDate;
      const word = m[1]!.toLowerCase().replace(/\s+/g, ' ');
      const back = word.startsWith('the day before')
        ? 2
        : /^(yesterday|last night)$/.test(word)
          ? 1
          : 0;
      return `on ${toIsoDate(addDays(askedOn, -back))}`;
    },
  },
  {
    // last/this/past week, weekend, month, year; last May; last Friday; last summer
    pattern: new RegExp(
      String.raw`\b(last|this|past|previous|the\s+past)\s+(week|weekend|month|year|${WEEKDAY}|${SEASON}|${MONTH})\b`,
      'i',
    ),
    read: (m, askedOn) => {
      const which = m[1]!.toLowerCase().replace(/\s+/g, ' ');
      const unit = m[2]!.toLowerCase().replace(/\.$/, '');
      if (askedOn === null) return needsDate;
      const last = which === 'last' || which === 'previous';
      const past = which === 'past' || which === 'the past';
      const monday = mondayOf(askedOn);
      const year = yearOf(askedOn);
      switch (unit) {
        case 'week':
          if (past) return between(addDays(askedOn, -7), askedOn);
          return last
            ? between(addDays(monday, -7), addDays(monday, -1))
            : between(monday, askedOn);
        case 'weekend':
          return between(...weekendBefore(last || past ? monday : addDays(askedOn, 1)));
        case 'month':
          if (past) return between(addDays(askedOn, -30), askedOn);
          return `on ${last ? monthsBack(askedOn, 1) : monthText(askedOn)}`;
        case 'year':
          if (past) return between(addDays(askedOn, -365), askedOn);
          return `on ${last ? year - 1 : year}`;
      }
      if (unit in weekdayNumbers) {
        let day = addDays(askedOn, -1);
        while (weekdayOf(day) !== weekdayNumbers[unit]) day = addDays(day, -1);
        return `on ${toIsoDate(day)}`;
      }
      if (unit in seasonMonths) {
        // "this summer": the latest summer that has begun; "last summer": the one before it
        // when this one is still going on.
        const [first, lastMonth] = seasonMonths[unit]!;
        const month =
          monthNumberOf(askedOn) + (unit === 'winter' && monthNumberOf(askedOn) <= 2 ? 12 : 0);
        const begun = month >= first;
        const seasonYear = (begun ? year : year - 1) - (unit === 'winter' && month > 12 ? 1 : 0);
        const ongoing = begun && month <= lastMonth;
        return seasonOf(unit, last && ongoing ? seasonYear - 1 : seasonYear);
      }
      const month = monthOf(unit);
      if (month === null) return undefined;
      // "last May": the May before the current month.
      let monthYear = month < monthNumberOf(askedOn) ? year : year - 1;
      if (!last) monthYear = year;
      return `on ${monthYear}-${pad(month)}`;
    },
  },
  {
    // summer 2021, the summer of 2021
    pattern: new RegExp(String.raw`\b(${SEASON})\s+(?:of\s+)?((?:19|20)\d{2})\b`, 'i'),
    read: (m) => seasonOf(m[1]!, Number(m[2])),
  },
  {
    // the first half of September 2022
    pattern: new RegExp(String.raw`\b(first|second)\s+half\s+of\s+(${DATE})\b`, 'i'),
    read: (m, askedOn) => {
      const written = readDate(m[2]!);
      if (written === null || written.month === null || written.day !== null) return undefined;
      const date = completeDate(written, askedOn, true);
      if (date === null) return needsDate;
      const month = `${date.year}-${pad(date.month!)}`;
      const lastDay = new Date(Date.UTC(date.year!, date.month!, 0)).getUTCDate();
      return m[1]!.toLowerCase() === 'first'
        ? `between ${month}-01 and ${month}-15`
        : `between ${month}-16 and ${month}-${lastDay}`;
    },
  },
  {
    // on 7 May 2023, in May 2023, in May, during 2022, May 23, 2023
    pattern: new RegExp(
      String.raw`(?:\b(in|on|during|of|from)\s+(?:the\s+)?(?:(?:beginning|start|end|middle)\s+of\s+|(?:early|late|mid)[\s-]+)?)?\b(${DATE})\b`,
      'i',
    ),
    read: (m, askedOn) => {
      const written = readDate(m[2]!);
      if (written === null) return undefined;
      // "may" alone is a month only after a preposition ("in May"), not in "May I…".
      if (/^may$/i.test(m[2]!.trim()) && m[1] === undefined) return undefined;
      // A bare number is a year only after a preposition ("in 2022"), not in "Cyberpunk 2077".
      if (written.month === null && m[1] === undefined) return undefined;
      const date = completeDate(written, askedOn, true);
      if (date === null) return needsDate;
      const text = formatDate(date);
      return text === null ? undefined : `on ${text}`;
    },
  },
];

/** The question's first time expression (by the order of the rules above), or null. */
export function findTimeExpression(question: string, askedOn: LocalTime | null): FoundTime | null {
  for (const rule of rules) {
    const pattern = new RegExp(rule.pattern.source, 'gi');
    for (let match = pattern.exec(question); match !== null; match = pattern.exec(question)) {
      const constraint = rule.read(match, askedOn);
      if (constraint === undefined) continue;
      const found: FoundTime = {
        constraint,
        index: match.index,
        length: match[0].length,
        phrase: match[0].trim(),
      };
      if (constraint === null) {
        found.note = `"${found.phrase}" needs the date the question was asked (--asked-on): no time constraint used`;
      }
      return found;
    }
  }
  return null;
}
