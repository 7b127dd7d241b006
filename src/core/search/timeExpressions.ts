import { toIsoDate, type LocalTime } from '../time/localTime';
import {
  addDays,
  between,
  mondayOf,
  monthNumberOf,
  monthsBack,
  monthText,
  pad,
  seasonMonths,
  seasonOf,
  weekdayOf,
  weekendBefore,
  yearOf,
} from './calendarDays';
import {
  completeDate,
  COUNT,
  countOf,
  DATE,
  dayOf,
  formatDate,
  MONTH,
  monthOf,
  readDate,
  SEASON,
  WEEKDAY,
  weekdayNumbers,
} from './writtenDates';

/**
 * Time expressions of a question ("last week", "in May 2023", "before June", "2 years ago",
 * "the week before 9 June 2023") turned into the reference's time constraint text
 * (`on/before/after/around <time>`, `between <start> and <end>`), resolved against the date the
 * question was asked. No model is involved: this runs as the user types.
 */

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

type Rule = {
  pattern: RegExp;
  /** The constraint, or null when a date is missing; `undefined` rejects the match. */
  read: (match: RegExpExecArray, askedOn: LocalTime | null) => string | null | undefined;
};

const needsDate = null;

/**
 * The day a written date names ("9 June 2023"; "June 9" in the year asked), `needsDate` when it
 * has no year and the question no date, undefined when it is not one day.
 */
function dayNamed(text: string, askedOn: LocalTime | null): LocalTime | null | undefined {
  const written = readDate(text);
  if (written === null) return undefined;
  const date = completeDate(written, askedOn, true);
  if (date === null) return needsDate;
  return dayOf(date) ?? undefined;
}

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
      const day = dayNamed(m[2]!, askedOn);
      if (day === needsDate || day === undefined) return day;
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
      const day = dayNamed(m[4]!, askedOn);
      if (day === needsDate || day === undefined) return day;
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
