/**
 * Code points counted and found by walking a string's UTF-16 units, never by copying it into an
 * array (`[...text]` of a 150 MB message needs more elements than an array may hold). A code point
 * is what Python counts as one character: a surrogate pair is one, and so is a lone surrogate.
 */

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** The number of code points in `text`, counting no further than `limit` (the count stops there). */
export function countCodePoints(text: string, limit = Infinity): number {
  let count = 0;
  for (let i = 0; i < text.length && count < limit; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    count++;
  }
  return count;
}

/**
 * The UTF-16 index where code point number `n` (from 0) starts, walking forward from `from`, an
 * index that starts a code point; `text.length` when the text has fewer.
 */
export function indexAfterCodePoints(text: string, n: number, from = 0): number {
  let i = from;
  for (let count = 0; count < n && i < text.length; count++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) i += 2;
    else i += 1;
  }
  return i;
}

/** The UTF-16 index where the last `n` code points of `text` start (0 when it has fewer). */
export function indexOfLastCodePoints(text: string, n: number): number {
  let i = text.length;
  for (let count = 0; count < n && i > 0; count++) {
    if (isLowSurrogate(text.charCodeAt(i - 1)) && isHighSurrogate(text.charCodeAt(i - 2))) i -= 2;
    else i -= 1;
  }
  return i;
}
