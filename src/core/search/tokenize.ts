/**
 * Words of a text for search: lower-cased runs of letters, marks and digits in any script, with
 * each Han, Hiragana or Katakana character a word of its own (those scripts write no spaces).
 *
 * The reference tokenizes with `[a-z0-9]+`, which makes every memory written in another language
 * invisible to BM25 and to the keyword scores; this keeps them (a documented deviation). On ASCII
 * text both give the same words: `The user's cat` → `the`, `user`, `s`, `cat`.
 */
const WORD =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:[^\P{L}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{M}\p{N}])+/gu;

/** Tab, newline, carriage return and printable ASCII: text that Unicode normalization leaves as is. */
export const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/;
/** `WORD` on plain ASCII, where its letters are a–z (once lower-cased) and its digits 0–9: faster. */
const ASCII_WORD = /[a-z0-9]+/g;

export function tokenize(text: string): string[] {
  if (text === '') return [];
  // NFKC folds full-width letters and ligatures; ASCII text has none, and most memories are ASCII.
  if (!NOT_PLAIN_ASCII.test(text)) return text.toLowerCase().match(ASCII_WORD) ?? [];
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
}

/** The distinct words, in order of first appearance. */
export function uniqueTokens(text: string): string[] {
  return [...new Set(tokenize(text))];
}
