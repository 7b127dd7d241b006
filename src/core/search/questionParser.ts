import type { MemoryType } from '../schema/answer';
import type { LocalTime } from '../time/localTime';
import { stopwords } from './stopwords';
import { findTimeExpression } from './timeExpressions';
import type { AnswerDim, QueryAnalysis } from './types';

/** The deterministic parse: the query analysis, and what a person should know about it. */
export interface ParsedQuestion {
  analysis: QueryAnalysis;
  /** The time expression as the question wrote it (`last week`), or null. */
  timePhrase: string | null;
  /** e.g. that "last week" needs the question's date; empty when nothing needs saying. */
  notes: string[];
}

export interface ParseQuestionOptions {
  /** The day the question is asked (00:00): relative times ("last week") count from it. */
  askedOn: LocalTime | null;
}

const firstPerson: [RegExp, string][] = [
  [/\bI['’]m\b/g, 'the user is'],
  [/\bI['’]ve\b/g, 'the user has'],
  [/\bI['’]d\b/g, 'the user would'],
  [/\bI\b/g, 'the user'],
  [/\b(?:me|myself)\b/gi, 'the user'],
  [/\b(?:my|mine)\b/gi, "the user's"],
];

/** The reference's anchor rule: "I/me/my -> the user", the rest of the question kept. */
function anchorOf(question: string): string {
  let anchor = question;
  for (const [pattern, replacement] of firstPerson) anchor = anchor.replace(pattern, replacement);
  return anchor.replace(/\s+/g, ' ').trim();
}

const assistantContext = [
  /\b(?:our|the)\s+(?:previous|last|earlier)\s+(?:conversation|chat|discussion)\b/i,
  /\blast\s+time\b/i,
  /\bwe\s+(?:discussed|talked\s+about|spoke\s+about|chatted\s+about)\b/i,
  /\bremind\s+me\b/i,
  /\byou\s+(?:recommended|mentioned|said|told\s+me|provided|suggested|gave\s+me|wrote|listed)\b/i,
  /\b(?:going|looking)\s+back\s+at\b/i,
  /\bfollow\s+up\s+on\b/i,
];

const profileWords =
  /\b(?:like|likes|liked|love|loves|enjoy|enjoys|prefer|prefers|preference|favou?rite|hate|hates|dislike|dislikes|interested|interests?|hobby|hobbies|habits?|usually|typically|tend\s+to|style|goals?|passionate|fan\s+of|into)\b/i;
const episodicWords =
  /\b(?:did|went|visited|attended|bought|purchased|happened|trip|event|when\s+was|when\s+were|ago|yesterday|last\s+(?:week|weekend|month|year|night|time))\b/i;
const factWords =
  /\b(?:what\s+is|what's|who\s+is|who's|name\s+of|how\s+old|live|lives|work\s+as|works\s+as|job|own|owns|identity|status|relationship|married|born|allergic|degree|studied)\b/i;

function memoryTypesOf(question: string): MemoryType[] {
  const types: MemoryType[] = [];
  if (
    /^\s*(?:when|where)\s+(?:did|was|were|have|has)\b/i.test(question) ||
    episodicWords.test(question)
  ) {
    types.push('episodic');
  }
  if (profileWords.test(question)) types.push('profile');
  if (factWords.test(question)) types.push('fact');
  return types;
}

function answerDimOf(question: string): AnswerDim {
  const q = question.trim();
  if (
    /^how\s+(?:many|much|often)\b|\b(?:compare|comparison|difference|total|in\s+total|more\s+than|less\s+than|recommend|suggest|should|would|likely)\b/i.test(
      q,
    )
  ) {
    return '';
  }
  if (
    /^(?:when|how\s+long\s+ago)\b|\bwhat\s+(?:time|date|day|year|month)\b|\bhow\s+long\b/i.test(q)
  )
    return 'time';
  if (
    /^where\b|\bwhat\s+(?:place|city|country|town|restaurant|store|shop|location|platform|website|app)\b/i.test(
      q,
    )
  ) {
    return 'location';
  }
  if (/^why\b|\bwhat\s+(?:made|caused|motivated|inspired|prompted)\b|\breason\b/i.test(q))
    return 'reason';
  if (/\bwhat\s+for\b|\bpurpose\b|\bin\s+order\s+to\b|\buse\b.*\bfor\b/i.test(q)) return 'purpose';
  if (/^(?:who|which)\b|\bname\s+of\b|\bwhat\s+(?:is|was)\s+the\s+name\b/i.test(q))
    return 'keywords';
  return 'content';
}

const monthsAndDays =
  /^(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|fall|autumn|winter|i)$/i;

/** A place the question names after "in" or "at" (`in Rome`, `at Bella Vita`), or `""`. */
function locationOf(text: string): string {
  const match = /\b(?:in|at)\s+((?:the\s+)?[A-Z][\p{L}'’.-]*(?:\s+[A-Z][\p{L}'’.-]*)*)/u.exec(text);
  if (!match) return '';
  const place = match[1]!.replace(/^the\s+/, '').replace(/[.'’]+$/, '');
  return place.split(/\s+/).some((word) => monthsAndDays.test(word)) ? '' : place;
}

const WORD = /[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’.-]*[\p{L}\p{M}\p{N}]|[\p{L}\p{N}]/gu;

/**
 * Keywords: quoted titles, runs of capitalised words (`Bella Vita`), and the other words that are
 * not stop words, in the order the question has them. The first word of the question is not taken
 * as a name for its capital alone.
 */
function keywordsOf(text: string): string[] {
  const keywords: string[] = [];
  const add = (keyword: string) => {
    const clean = keyword
      .replace(/['’]s$/i, '')
      .replace(/^[.'’-]+|[.'’-]+$/g, '')
      .trim();
    if (clean === '' || keywords.some((k) => k.toLowerCase() === clean.toLowerCase())) return;
    keywords.push(clean);
  };
  let rest = text;
  for (const quoted of text.matchAll(/["“]([^"”]{2,80})["”]/g)) {
    add(quoted[1]!);
    rest = rest.replace(quoted[0], ' ');
  }
  const words = [...rest.matchAll(WORD)].map((m) => ({ text: m[0], index: m.index }));
  let run: string[] = [];
  const flush = () => {
    if (run.length > 0) add(run.join(' '));
    run = [];
  };
  words.forEach((word, position) => {
    const bare = word.text.replace(/['’]s$/i, '');
    const lower = bare.toLowerCase();
    const capitalised = /^\p{Lu}/u.test(bare) && position > 0 && !monthsAndDays.test(bare);
    // Words are adjacent in a run only when nothing but spaces separates them.
    const previous = words[position - 1];
    const adjacent =
      previous !== undefined &&
      /^\s+$/.test(rest.slice(previous.index + previous.text.length, word.index));
    // "New Year": a capitalised stop word continues a name it follows, but starts none.
    if (capitalised && (!stopwords.has(lower) || (run.length > 0 && adjacent))) {
      if (!adjacent) flush();
      run.push(bare);
      return;
    }
    flush();
    if (stopwords.has(lower) || /^\d{1,2}$/.test(lower)) return;
    add(bare);
  });
  flush();
  return keywords.slice(0, 12);
}

/**
 * Turns a question into a query analysis without any model: dates and relative times ("last
 * week", "in May 2023", "before June", "2 years ago") against the day it was asked, memory types
 * from its words ("what do I like" → profile, "when did I …" → episodic), keywords with stop words
 * removed, and the field that answers it. Same shape as the reference's model-written analysis.
 */
export function parseQuestion(question: string, options: ParseQuestionOptions): ParsedQuestion {
  const text = question.replace(/\s+/g, ' ').trim();
  const notes: string[] = [];
  const found = findTimeExpression(text, options.askedOn);
  if (found?.note) notes.push(found.note);
  const withoutTime =
    found === null
      ? text
      : `${text.slice(0, found.index)} ${text.slice(found.index + found.length)}`;
  return {
    analysis: {
      query_anchor: anchorOf(text),
      need_assistant_context: assistantContext.some((pattern) => pattern.test(text)),
      dimension: {
        target_memory_type: memoryTypesOf(text),
        keywords: keywordsOf(withoutTime),
        time: found?.constraint ?? '',
        location: locationOf(withoutTime),
      },
      answer_dim: answerDimOf(text),
    },
    timePhrase: found?.phrase ?? null,
    notes,
  };
}
